// Svelte runes need the client transform to run $effect in Node; see STACK.md gotcha 7.
import type { Environment } from 'vitest/environments';

export default <Environment>{
  name: 'node-client',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
};
