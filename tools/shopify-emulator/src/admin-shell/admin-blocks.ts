// Admin block extensions in the admin shell: the app's built UI extensions whose target is a
// `*.block.render` on a resource page, shown on the shell's page for that resource. Shopify runs an
// extension in a sandbox and draws its Polaris web components itself; this host is the minimum the
// Shop Sync block needs (ADR 0031): an iframe per block with
//   - the `shopify` global: extension.target, data.selected (the page's resource), i18n (translate
//     from the extension's locale file, formatDate, formatNumber), auth.idToken() (a session token
//     from the shell), and extend(target, run), which the CLI's bundle calls;
//   - fetch as Shopify's: a relative URL resolves against the app's application_url, and requests to
//     the app carry `Authorization: Bearer <session token>`;
//   - the web components the block uses (s-admin-block, s-stack, s-text, s-paragraph, s-badge,
//     s-banner, s-button), drawn plainly.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";

export interface AdminBlockExtension {
  handle: string;
  /** The merchant-facing name (the locale file's value for `t:name`). */
  name: string;
  /** e.g. admin.product-details.block.render */
  target: string;
  /** The bundle `shopify app build` writes: extensions/{dir}/dist/{handle}.js */
  bundlePath: string;
  /** locales/en.default.json, for i18n.translate */
  messages: Record<string, unknown>;
}

const readJson = (file: string): Record<string, unknown> =>
  existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};

/** The admin block extensions under `{appDir}/extensions/*` (the CLI's default extension_directories). */
export function loadAdminBlocks(appDir: string): AdminBlockExtension[] {
  const root = path.join(appDir, "extensions");
  if (!existsSync(root)) return [];
  const blocks: AdminBlockExtension[] = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    const tomlFile = path.join(root, dir.name, "shopify.extension.toml");
    if (!dir.isDirectory() || !existsSync(tomlFile)) continue;
    const toml = parseToml(readFileSync(tomlFile, "utf8")) as {
      extensions?: Array<{ name?: string; handle?: string; type?: string; targeting?: Array<{ target?: string }> }>;
    };
    const messages = readJson(path.join(root, dir.name, "locales/en.default.json"));
    for (const extension of toml.extensions ?? []) {
      if (extension.type !== "ui_extension" || !extension.handle) continue;
      for (const { target } of extension.targeting ?? []) {
        if (!target?.startsWith("admin.") || !target.endsWith(".block.render")) continue;
        const name = extension.name?.startsWith("t:")
          ? String(messages[extension.name.slice(2)] ?? extension.handle)
          : (extension.name ?? extension.handle);
        blocks.push({
          handle: extension.handle,
          name,
          target,
          bundlePath: path.join(root, dir.name, "dist", `${extension.handle}.js`),
          messages,
        });
      }
    }
  }
  return blocks;
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export interface ProductPageInput {
  shopName: string;
  appName: string;
  appHref: string;
  product: { gid: string; title: string; variants: Array<{ title: string; sku: string | null; available: number }> };
  blocks: Array<{ handle: string; name: string; src: string }>;
}

/** The shell's product page: the product as Shopify shows it (briefly), with its admin blocks. */
export function renderProductPage(input: ProductPageInput): string {
  const rows = input.product.variants
    .map(
      (v) =>
        `<tr><td>${escapeHtml(v.title)}</td><td>${escapeHtml(v.sku ?? "")}</td><td class="num">${v.available}</td></tr>`,
    )
    .join("");
  const blocks = input.blocks
    .map(
      (b) =>
        `<section class="card block"><iframe data-testid="admin-block-${escapeHtml(b.handle)}" title="${escapeHtml(b.name)}" src="${escapeHtml(b.src)}"></iframe></section>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.product.title)} · Products · ${escapeHtml(input.shopName)} · Shopify (emulator)</title>
<link rel="icon" href="data:,">
<style>
  *{box-sizing:border-box} body{margin:0;font:14px/1.4 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;background:#f1f1f1;color:#303030}
  header{background:#1a1a1a;color:#e3e3e3;display:flex;align-items:center;gap:12px;padding:0 16px;height:56px}
  header .logo{font-weight:700;color:#fff} header .badge{font-size:11px;background:#ffb800;color:#1a1a1a;border-radius:8px;padding:1px 8px}
  header a{color:#e3e3e3;margin-left:auto}
  main{max-width:1000px;margin:0 auto;padding:20px;display:grid;grid-template-columns:2fr 1fr;gap:16px;align-items:start}
  h1{grid-column:1/3;font-size:20px;margin:0}
  .card{background:#fff;border-radius:12px;box-shadow:0 1px 0 #1a1a1a12,0 0 0 1px #1a1a1a0f;padding:16px}
  table{width:100%;border-collapse:collapse} th,td{text-align:left;padding:6px 4px;border-bottom:1px solid #ebebeb} .num{text-align:right}
  .block{padding:0;overflow:hidden} .block iframe{width:100%;height:320px;border:0;display:block}
</style>
</head>
<body>
<header><span class="logo">shopify</span><span class="badge">emulator</span><a href="${escapeHtml(input.appHref)}">${escapeHtml(input.appName)}</a></header>
<main>
  <h1 data-testid="product-title">${escapeHtml(input.product.title)}</h1>
  <section class="card"><h2>Variants</h2><table><thead><tr><th>Variant</th><th>SKU</th><th class="num">Available</th></tr></thead><tbody>${rows}</tbody></table></section>
  <div>${blocks}</div>
</main>
</body>
</html>`;
}

export interface BlockSandboxInput {
  block: AdminBlockExtension;
  resourceGid: string;
  appUrl: string;
  idTokenUrl: string;
  bundleUrl: string;
}

/** The iframe document one admin block runs in (see the file comment). */
export function renderBlockSandbox(input: BlockSandboxInput): string {
  const boot = {
    target: input.block.target,
    handle: input.block.handle,
    resourceGid: input.resourceGid,
    appUrl: input.appUrl,
    idTokenUrl: input.idTokenUrl,
    messages: input.block.messages,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.block.name)}</title>
<link rel="icon" href="data:,">
<style>
  body{margin:0;font:14px/1.4 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;color:#303030;background:#fff}
  s-stack{display:flex;flex-direction:column;gap:10px} s-stack[direction="inline"]{flex-direction:row;flex-wrap:wrap;gap:6px}
  s-paragraph{display:block} s-paragraph[tone="success"]{color:#0c5132} s-paragraph[tone="critical"]{color:#8e0b21} s-paragraph[tone="warning"]{color:#5e4200}
  s-text[type="strong"]{font-weight:600}
  s-badge{display:inline-block;border-radius:8px;padding:2px 8px;font-size:12px;background:#e3e3e3}
  s-badge[tone="success"]{background:#cdfee1;color:#0c5132} s-badge[tone="critical"]{background:#fedad9;color:#8e0b21} s-badge[tone="warning"]{background:#ffef9d;color:#4f4700}
  s-banner{display:block;border-radius:8px;padding:8px 12px;background:#eaf4ff} s-banner[tone="success"]{background:#cdfee1} s-banner[tone="critical"]{background:#fedad9}
</style>
<script>
(function () {
  "use strict";
  var boot = ${scriptJson(boot)};

  // --- web components: only what the block draws ---
  function define(name, render) {
    customElements.define(name, class extends HTMLElement {
      static get observedAttributes() { return ["heading", "loading", "disabled"]; }
      connectedCallback() { render(this); }
      attributeChangedCallback() { if (this.shadowRoot) render(this); }
    });
  }
  define("s-admin-block", function (el) {
    var root = el.shadowRoot || el.attachShadow({ mode: "open" });
    root.innerHTML = '<style>section{padding:16px}h2{font-size:14px;margin:0 0 12px}</style><section><h2 part="heading"></h2><slot></slot></section>';
    root.querySelector("h2").textContent = el.getAttribute("heading") || "";
  });
  define("s-button", function (el) {
    var root = el.shadowRoot || el.attachShadow({ mode: "open" });
    if (!root.firstChild) {
      root.innerHTML = '<style>button{border:1px solid #c9c9c9;background:#303030;color:#fff;border-radius:8px;padding:6px 12px;cursor:pointer;font:inherit}button:disabled{opacity:.6;cursor:default}</style><button type="button"><slot></slot></button>';
    }
    var busy = el.hasAttribute("loading") && el.getAttribute("loading") !== "false";
    var disabled = el.hasAttribute("disabled") && el.getAttribute("disabled") !== "false";
    var button = root.querySelector("button");
    button.disabled = busy || disabled;
    button.setAttribute("aria-busy", String(busy));
  });
  ["s-stack", "s-text", "s-paragraph", "s-badge", "s-banner"].forEach(function (name) { define(name, function () {}); });

  // --- the shopify global ---
  function lookup(key) {
    return key.split(".").reduce(function (node, part) { return node == null ? undefined : node[part]; }, boot.messages);
  }
  var i18n = {
    translate: function (key, options) {
      var message = lookup(key);
      if (typeof message !== "string") return key;
      return message.replace(/\\{\\{(\\w+)\\}\\}/g, function (_, name) { return options && name in options ? String(options[name]) : ""; });
    },
    formatDate: function (date, options) { return new Intl.DateTimeFormat("en-US", options).format(date); },
    formatNumber: function (value, options) { return new Intl.NumberFormat("en-US", options).format(value); },
  };
  var tokenFetch = window.fetch.bind(window);
  function idToken() {
    return tokenFetch(boot.idTokenUrl, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (b) { return b.token || null; });
  }
  var appOrigin = new URL(boot.appUrl).origin;
  // Shopify resolves a relative URL against the app's application_url and adds the session token to
  // requests for the app.
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url, boot.appUrl);
    init = Object.assign({}, init);
    var headers = new Headers(init.headers || {});
    if (url.origin !== appOrigin || headers.has("Authorization")) return tokenFetch(url, Object.assign(init, { headers: headers }));
    return idToken().then(function (token) {
      if (token) headers.set("Authorization", "Bearer " + token);
      return tokenFetch(url, Object.assign(init, { headers: headers }));
    });
  };
  window.shopify = {
    extension: { target: boot.target },
    data: { selected: [{ id: boot.resourceGid }] },
    i18n: i18n,
    auth: { idToken: idToken },
    extend: function (target, run) {
      if (target !== boot.target) return;
      Promise.resolve().then(run).catch(function (error) { console.error("admin block " + boot.handle + " failed", error); });
    },
  };
})();
</script>
<script src="${escapeHtml(input.bundleUrl)}" defer></script>
</head>
<body></body>
</html>`;
}
