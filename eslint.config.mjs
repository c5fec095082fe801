import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import security from "eslint-plugin-security";

const config = [
  ...nextVitals,
  ...nextTs,
  security.configs.recommended,
  {
    ignores: [".next/**", "node_modules/**", "server/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      // Flags every obj[key] with a variable key (TypeScript already types those); noise, not signal.
      "security/detect-object-injection": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": ["error", { selector: "CallExpression[callee.property.name='$queryRawUnsafe']", message: "Use the tagged $queryRaw so values are parameters." }, { selector: "CallExpression[callee.property.name='$executeRawUnsafe']", message: "Use the tagged $executeRaw so values are parameters." }],
    },
  },
  {
    // Paths here come from configuration (the data folder, migrations, report files), not from requests.
    files: ["scripts/**", "bench/**", "tests/**", "**/*.test.ts", "server/db/**", "server/auth/jwt-keys.ts", "server/security/secret-box.ts"],
    rules: { "security/detect-non-literal-fs-filename": "off" },
  },
];

export default config;
