/** CUBA network with N = 16000 (see _cuba.ts). */
import { cubaWorkload } from "./_cuba";

export const workload = cubaWorkload(16000, false);
