// Lints APPSYNC_JS code for the AppSync runtime: code AppSync would reject fails here.
import appsync from "@aws-appsync/eslint-plugin";

const resolverFiles = ["resolvers/**/*.ts", "test/fixtures/appsync/resolvers/**/*.ts"];

export default [
  { ignores: ["node_modules/**", "cdk.out/**", ".payrail/**"] },
  { files: resolverFiles, languageOptions: { parserOptions: { projectService: true } } },
  { ...appsync.configs.recommended, files: resolverFiles },
];
