// Root hooks: every test starts with a clean exit code and colourless output.
export const mochaHooks = {
  beforeAll(): void {
    process.env.NO_COLOR = '1'
  },
  beforeEach(): void {
    process.exitCode = undefined
  },
  afterEach(): void {
    process.exitCode = undefined
  },
}
