// Files imported with `with { type: "text" }` (their content) or `with { type: "file" }` (a path that
// also works inside a `bun build --compile` binary).
declare module "*.sql" {
  const content: string;
  export default content;
}
declare module "*.wasm" {
  const path: string;
  export default path;
}
declare module "*.data" {
  const path: string;
  export default path;
}
