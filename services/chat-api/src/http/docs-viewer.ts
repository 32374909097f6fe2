/**
 * A small API reference page, served from this app: the OpenAPI document's
 * operations with their parameters, bodies and answers. It replaces a viewer
 * loaded from a CDN without an integrity hash (whoever controlled the CDN
 * ran script on our origin); everything here comes from `'self'`, and the
 * script writes text nodes only, so nothing in the document becomes markup.
 */
export const DOCS_VIEWER_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Todo API reference</title>
<link rel="stylesheet" href="/api/docs/viewer.css">
<script src="/api/docs/viewer.js" defer></script>
</head>
<body>
<main>
<h1>Todo API</h1>
<p>The OpenAPI document: <a href="/api/docs/json">/api/docs/json</a>.</p>
<div id="operations">Loading…</div>
</main>
</body>
</html>
`;

export const DOCS_VIEWER_CSS = `body{font-family:system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:60rem;margin:2rem auto;padding:0 1rem}
details{border:1px solid #d0d7de;border-radius:6px;margin:.5rem 0;padding:.5rem .75rem}
summary{cursor:pointer;font-family:ui-monospace,monospace}
.method{display:inline-block;min-width:4.5rem;font-weight:700}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;font-size:.85rem}
h2{margin-top:2rem;text-transform:capitalize}
`;

export const DOCS_VIEWER_SCRIPT = `"use strict";
(async () => {
  const root = document.getElementById("operations");
  const el = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  let spec;
  try {
    spec = await (await fetch("/api/docs/json")).json();
  } catch (error) {
    root.textContent = "The OpenAPI document could not be loaded: " + error;
    return;
  }
  root.textContent = "";
  if (spec.info && spec.info.description) root.append(el("p", spec.info.description));
  const byTag = new Map();
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const [method, operation] of Object.entries(item)) {
      const tag = (operation.tags && operation.tags[0]) || "other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, operation });
    }
  }
  for (const [tag, operations] of byTag) {
    root.append(el("h2", tag));
    for (const { path, method, operation } of operations) {
      const details = el("details");
      const summary = el("summary");
      summary.append(el("span", method.toUpperCase(), "method"), el("span", path + "  " + (operation.summary || "")));
      details.append(summary);
      if (operation.description) details.append(el("p", operation.description));
      if (operation.parameters && operation.parameters.length) {
        details.append(el("h3", "Parameters"));
        const list = el("ul");
        for (const parameter of operation.parameters) {
          list.append(el("li", parameter.in + " " + parameter.name + (parameter.required ? " (required)" : "") + (parameter.description ? ": " + parameter.description : "")));
        }
        details.append(list);
      }
      const body = operation.requestBody && operation.requestBody.content && operation.requestBody.content["application/json"];
      if (body) {
        details.append(el("h3", "Body (application/json)"));
        details.append(el("pre", JSON.stringify(body.schema, null, 2)));
      }
      details.append(el("h3", "Answers"));
      const answers = el("ul");
      for (const [status, response] of Object.entries(operation.responses || {})) {
        answers.append(el("li", status + ": " + (response.description || "")));
      }
      details.append(answers);
      root.append(details);
    }
  }
})();
`;
