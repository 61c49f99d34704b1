/** CUBA network with N = 64000 (see _cuba.ts). */
import { cubaWorkload } from "./_cuba";

export const workload = cubaWorkload(64000, true);
