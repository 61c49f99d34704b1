/**
 * Table I of the review (Tavanaei et al. 2019, HAL preprint version), complete: 39 rows of recent
 * deep-SNN models with their learning method, dataset and reported accuracy (%). The `family`
 * column groups learning methods for the "accuracy by learning family" plot of notebook 00:
 * gradient-based (backprop and its spike-based variants, including Panda & Roy's backprop-trained
 * autoencoder), local / unsupervised rules (STDP, sparse coding, tempotron, contrastive
 * divergence), and offline (conversion of trained ANNs, hardware mappings of offline-trained
 * networks, and Spaun's offline-computed NEF decoders).
 *
 * Source: ../shared/EXPERIMENTS.md §1.2; test/datasets/review-table-one.test.ts checks every row
 * against it. The table's reference numbers are the preprint's.
 *
 * @example
 *   reviewTableOne.filter((r) => r.dataset === "MNIST").length;   // 30
 */

/** The three sections of Table I. */
export type ReviewTableGroup = "fully-connected" | "convolutional" | "rbm-dbn";

/** Learning-method families, for grouping. */
export type LearningFamily = "gradient-based" | "local / unsupervised rules" | "offline (conversion / hardware)";

/** One row of Table I. */
export interface ReviewTableRow {
  /** "First author (year)" as printed. */
  readonly model: string;
  readonly author: string;
  readonly year: number;
  /** Reference numbers in the preprint, e.g. "[137]". */
  readonly refs: string;
  /** Section of the table. */
  readonly group: ReviewTableGroup;
  readonly architecture: string;
  readonly learningMethod: string;
  readonly family: LearningFamily;
  readonly dataset: "MNIST" | "N-MNIST" | "CIFAR-10" | "CIFAR-100";
  /** Reported accuracy, %. */
  readonly accuracy: number;
}

/** Table I of the review, in the printed order (frozen). */
export const reviewTableOne: readonly ReviewTableRow[] = Object.freeze([
  { model: "O'Connor (2016)", author: "O'Connor", year: 2016, refs: "[137]", group: "fully-connected", architecture: "Deep SNN", learningMethod: "Stochastic gradient descent", family: "gradient-based", dataset: "MNIST", accuracy: 96.40 },
  { model: "O'Connor (2016)", author: "O'Connor", year: 2016, refs: "[137]", group: "fully-connected", architecture: "Deep SNN", learningMethod: "Fractional stochastic gradient descent", family: "gradient-based", dataset: "MNIST", accuracy: 97.93 },
  { model: "Lee (2016)", author: "Lee", year: 2016, refs: "[57]", group: "fully-connected", architecture: "Deep SNN", learningMethod: "Backpropagation", family: "gradient-based", dataset: "MNIST", accuracy: 98.88 },
  { model: "Lee (2016)", author: "Lee", year: 2016, refs: "[57]", group: "fully-connected", architecture: "Deep SNN", learningMethod: "Backpropagation", family: "gradient-based", dataset: "N-MNIST", accuracy: 98.74 },
  { model: "Neftci (2017)", author: "Neftci", year: 2017, refs: "[138]", group: "fully-connected", architecture: "Deep SNN", learningMethod: "Event-driven random backpropagation", family: "gradient-based", dataset: "MNIST", accuracy: 97.98 },
  { model: "Liu (2017)", author: "Liu", year: 2017, refs: "[108]", group: "fully-connected", architecture: "SNN", learningMethod: "Temporal backpropagation (3-layer)", family: "gradient-based", dataset: "MNIST", accuracy: 99.10 },
  { model: "Eliasmith (2012)", author: "Eliasmith", year: 2012, refs: "[129]", group: "fully-connected", architecture: "SNN", learningMethod: "Spaun brain model", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 94.00 },
  { model: "Diehl (2015)", author: "Diehl", year: 2015, refs: "[130]", group: "fully-connected", architecture: "SNN", learningMethod: "STDP (2-layer)", family: "local / unsupervised rules", dataset: "MNIST", accuracy: 95.00 },
  { model: "Tavanaei (2017)", author: "Tavanaei", year: 2017, refs: "[118]", group: "fully-connected", architecture: "SNN", learningMethod: "STDP-based backpropagation (3-layer)", family: "gradient-based", dataset: "MNIST", accuracy: 97.20 },
  { model: "Mostafa (2017)", author: "Mostafa", year: 2017, refs: "[109]", group: "fully-connected", architecture: "SNN", learningMethod: "Temporal backpropagation (3-layer)", family: "gradient-based", dataset: "MNIST", accuracy: 97.14 },
  { model: "Querlioz (2013)", author: "Querlioz", year: 2013, refs: "[139]", group: "fully-connected", architecture: "SNN", learningMethod: "STDP, hardware implementation", family: "local / unsupervised rules", dataset: "MNIST", accuracy: 93.50 },
  { model: "Brader (2007)", author: "Brader", year: 2007, refs: "[128]", group: "fully-connected", architecture: "SNN", learningMethod: "Spike-driven synaptic plasticity", family: "local / unsupervised rules", dataset: "MNIST", accuracy: 96.50 },
  { model: "Diehl (2015)", author: "Diehl", year: 2015, refs: "[140]", group: "fully-connected", architecture: "Deep SNN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 98.60 },
  { model: "Neil (2016)", author: "Neil", year: 2016, refs: "[144]", group: "fully-connected", architecture: "Deep SNN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 98.00 },
  { model: "Hunsberger (2015)", author: "Hunsberger", year: 2015, refs: "[177], [178]", group: "fully-connected", architecture: "Deep SNN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 98.37 },
  { model: "Esser (2015)", author: "Esser", year: 2015, refs: "[141]", group: "fully-connected", architecture: "Deep SNN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 99.42 },
  { model: "Lee (2016)", author: "Lee", year: 2016, refs: "[57]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Backpropagation", family: "gradient-based", dataset: "MNIST", accuracy: 99.31 },
  { model: "Lee (2016)", author: "Lee", year: 2016, refs: "[57]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Backpropagation", family: "gradient-based", dataset: "N-MNIST", accuracy: 98.30 },
  { model: "Panda (2016)", author: "Panda", year: 2016, refs: "[173]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Convolutional autoencoder", family: "gradient-based", dataset: "MNIST", accuracy: 99.05 },
  { model: "Panda (2016)", author: "Panda", year: 2016, refs: "[173]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Convolutional autoencoder", family: "gradient-based", dataset: "CIFAR-10", accuracy: 75.42 },
  { model: "Tavanaei (2017)", author: "Tavanaei", year: 2017, refs: "[171], [172]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Layer-wise sparse coding and STDP", family: "local / unsupervised rules", dataset: "MNIST", accuracy: 98.36 },
  { model: "Tavanaei (2018)", author: "Tavanaei", year: 2018, refs: "[174]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Layer-wise and end-to-end STDP rules", family: "local / unsupervised rules", dataset: "MNIST", accuracy: 98.60 },
  { model: "Kheradpisheh (2016)", author: "Kheradpisheh", year: 2016, refs: "[170]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Layer-wise STDP", family: "local / unsupervised rules", dataset: "MNIST", accuracy: 98.40 },
  { model: "Zhao (2015)", author: "Zhao", year: 2015, refs: "[169]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Tempotron", family: "local / unsupervised rules", dataset: "MNIST", accuracy: 91.29 },
  { model: "Cao (2015)", author: "Cao", year: 2015, refs: "[183]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "CIFAR-10", accuracy: 77.43 },
  { model: "Neil (2016)", author: "Neil", year: 2016, refs: "[179]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "N-MNIST", accuracy: 95.72 },
  { model: "Diehl (2015)", author: "Diehl", year: 2015, refs: "[140]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 99.10 },
  { model: "Rueckauer (2017)", author: "Rueckauer", year: 2017, refs: "[142]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 99.44 },
  { model: "Rueckauer (2017)", author: "Rueckauer", year: 2017, refs: "[142]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "CIFAR-10", accuracy: 90.85 },
  { model: "Hunsberger (2015)", author: "Hunsberger", year: 2015, refs: "[177]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "CIFAR-10", accuracy: 82.95 },
  { model: "Garbin (2014)", author: "Garbin", year: 2014, refs: "[181]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Offline learning, hardware", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 94.00 },
  { model: "Esser (2016)", author: "Esser", year: 2016, refs: "[182]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Offline learning, hardware", family: "offline (conversion / hardware)", dataset: "CIFAR-10", accuracy: 87.50 },
  { model: "Esser (2016)", author: "Esser", year: 2016, refs: "[182]", group: "convolutional", architecture: "Spiking CNN", learningMethod: "Offline learning, hardware", family: "offline (conversion / hardware)", dataset: "CIFAR-100", accuracy: 63.05 },
  { model: "Neftci (2014)", author: "Neftci", year: 2014, refs: "[203]", group: "rbm-dbn", architecture: "Spiking RBM", learningMethod: "Contrastive divergence in LIF neurons", family: "local / unsupervised rules", dataset: "MNIST", accuracy: 91.90 },
  { model: "O'Connor (2013)", author: "O'Connor", year: 2013, refs: "[204]", group: "rbm-dbn", architecture: "Spiking DBN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 94.09 },
  { model: "Stromatias (2015)", author: "Stromatias", year: 2015, refs: "[205]", group: "rbm-dbn", architecture: "Spiking DBN", learningMethod: "Offline learning, conversion", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 94.94 },
  { model: "Stromatias (2015)", author: "Stromatias", year: 2015, refs: "[206]", group: "rbm-dbn", architecture: "Spiking DBN", learningMethod: "Offline learning, hardware", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 95.00 },
  { model: "Merolla (2011)", author: "Merolla", year: 2011, refs: "[207]", group: "rbm-dbn", architecture: "Spiking RBM", learningMethod: "Offline learning, hardware", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 94.00 },
  { model: "Neil (2014)", author: "Neil", year: 2014, refs: "[208]", group: "rbm-dbn", architecture: "Spiking DBN", learningMethod: "Offline learning, hardware", family: "offline (conversion / hardware)", dataset: "MNIST", accuracy: 92.00 },
].map((row) => Object.freeze(row as ReviewTableRow)));
