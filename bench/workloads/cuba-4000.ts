/** CUBA network with N = 4000 (see _cuba.ts). */
import { cubaWorkload } from "./_cuba";

export const workload = cubaWorkload(4000, false);
