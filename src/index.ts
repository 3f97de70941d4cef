export {run} from '@oclif/core/run'
