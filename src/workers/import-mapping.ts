// The Import page's mapping step, computed in the import worker: every format's own module answers it
// (src/core/formats/mapping.ts over the registry).
export { computeMapping, type ClassRow, type MappingInfo } from '../core/formats/mapping.ts';
