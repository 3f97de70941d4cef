export {count, type MappingStats} from '../hooks/types.js'
/**
 * Everything the pool takes from the conversion core, in one place: the core is moving into src/engine/, and only
 * these lines need repointing when it does.
 */
export {type Converter, makeConverter, resolveSides, type Side} from '../pipeline.js'
