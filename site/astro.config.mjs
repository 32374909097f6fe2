import preact from "@astrojs/preact";
import { defineConfig } from "astro/config";

// Static build into dist/, served by the embedded host (bun start) or the site container.
export default defineConfig({
  output: "static",
  integrations: [preact()],
  build: { format: "directory" },
  devToolbar: { enabled: false },
});
