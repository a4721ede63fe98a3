import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "web/dist/**", "data/**", "**/*.vue", "bench/results/**", "tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Only server/src/config reads process.env." }],
    },
  },
  { files: ["server/src/config/**", "server/test/**", "**/*.test.ts", "scripts/**", "e2e/**", "bench/**"], rules: { "no-restricted-properties": "off" } },
);
