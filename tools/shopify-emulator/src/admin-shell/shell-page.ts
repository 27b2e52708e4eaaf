// The admin-like page that frames the app, like admin.shopify.com/store/{name}/apps/{apiKey}/… does:
// top bar with the shop name, left nav filled from the app's <ui-nav-menu>, a title bar filled from
// <ui-title-bar>, toasts, and the app iframe. It answers the App Bridge stand-in's postMessage calls.

export interface ShellPageInput {
  shop: string;
  shopName: string;
  apiKey: string;
  appName: string;
  appOrigin: string;
  iframeSrc: string;
  /** Path of this app page in the shell, without the app path: /store/{name}/apps/{apiKey} */
  basePath: string;
  scopes: string[];
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

export function renderShellPage(input: ShellPageInput): string {
  const boot = {
    shop: input.shop,
    apiKey: input.apiKey,
    appOrigin: input.appOrigin,
    basePath: input.basePath,
    scopes: input.scopes,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.appName)} · ${escapeHtml(input.shopName)} · Shopify (emulator)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
  *{box-sizing:border-box} body{margin:0;font:14px/1.4 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;background:#f1f1f1;color:#303030;height:100vh;display:grid;grid-template-rows:56px 1fr;grid-template-columns:240px 1fr}
  header{grid-column:1/3;background:#1a1a1a;color:#e3e3e3;display:flex;align-items:center;gap:12px;padding:0 16px}
  header .logo{font-weight:700;color:#fff} header .badge{font-size:11px;background:#ffb800;color:#1a1a1a;border-radius:8px;padding:1px 8px}
  header .shop{margin-left:auto;background:#303030;border-radius:8px;padding:4px 10px}
  nav{background:#ebebeb;padding:12px 8px;overflow:auto} nav a{display:block;padding:6px 10px;border-radius:8px;color:#303030;text-decoration:none}
  nav a:hover{background:#f7f7f7} nav a.current{background:#fff;font-weight:600} nav .app{font-weight:600;margin-top:8px} nav .sub a{padding-left:22px}
  main{display:grid;grid-template-rows:auto 1fr;min-height:0}
  /* Like Shopify's admin on a phone: the left nav gives the app the full width. */
  @media (max-width: 768px){body{grid-template-columns:1fr} header{grid-column:1} nav{display:none}}
  .titlebar{display:flex;align-items:center;gap:8px;padding:12px 20px;min-height:52px}
  .titlebar h1{font-size:18px;margin:0;flex:1} .titlebar button{border:1px solid #c9c9c9;background:#fff;border-radius:8px;padding:6px 12px;cursor:pointer}
  .titlebar button.primary{background:#303030;color:#fff;border-color:#303030}
  iframe{width:100%;height:100%;border:0;background:#fff}
  #loading{position:fixed;top:56px;left:0;height:3px;width:0;background:#5c6ac4;transition:width .3s}
  #loading.on{width:70%}
  #toasts{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);display:flex;flex-direction:column;gap:8px;z-index:10}
  .toast{background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:10px} .toast.error{background:#c70a24}
</style>
</head>
<body>
<header><span class="logo">shopify</span><span class="badge">emulator</span><span class="shop" data-testid="shell-shop">${escapeHtml(input.shopName)}</span></header>
<nav data-testid="shell-nav">
  <a href="/store/${encodeURIComponent(input.shopName)}">Home</a>
  <div class="app"><a href="${escapeHtml(input.basePath)}" data-app-home>${escapeHtml(input.appName)}</a></div>
  <div class="sub" id="app-nav"></div>
</nav>
<main>
  <div class="titlebar"><h1 data-testid="shell-title" id="title">${escapeHtml(input.appName)}</h1><span id="title-actions"></span></div>
  <iframe id="app-iframe" data-testid="app-iframe" name="app-iframe" title="${escapeHtml(input.appName)}" src="${escapeHtml(input.iframeSrc)}" allow="clipboard-read; clipboard-write"></iframe>
</main>
<div id="loading"></div>
<div id="toasts" data-testid="shell-toasts"></div>
<script>
(function () {
  var boot = ${scriptJson(boot)};
  var frame = document.getElementById("app-iframe");
  var log = (window.__shell = { messages: [], toasts: [] });
  function send(msg) { frame.contentWindow.postMessage(Object.assign({ source: "shopify-emulator-shell" }, msg), boot.appOrigin); }
  function reply(id, data, error) { send({ replyTo: id, data: data, error: error }); }
  function el(tag, attrs, text) { var e = document.createElement(tag); for (var k in attrs) e.setAttribute(k, attrs[k]); if (text != null) e.textContent = text; return e; }
  var handlers = {
    "id-token": function (msg) {
      fetch(boot.basePath + "/__shell/id-token", { cache: "no-store" })
        .then(function (r) { if (!r.ok) throw new Error("token endpoint " + r.status); return r.json(); })
        .then(function (body) { reply(msg.id, { token: body.token }); })
        .catch(function (e) { reply(msg.id, null, String(e && e.message || e)); });
    },
    "scopes": function (msg) { reply(msg.id, { granted: boot.scopes, required: boot.scopes, optional: [] }); },
    "nav": function (msg) {
      var box = document.getElementById("app-nav"); box.textContent = "";
      msg.data.items.forEach(function (item) {
        if (item.home) { document.querySelector("[data-app-home]").setAttribute("data-href", item.href); return; }
        var a = el("a", { href: boot.basePath + item.href, "data-href": item.href }, item.label);
        a.addEventListener("click", function (e) { e.preventDefault(); send({ type: "navigate", data: { href: item.href } }); });
        box.appendChild(a);
      });
    },
    "title": function (msg) {
      document.getElementById("title").textContent = msg.data.title || ${scriptJson(input.appName)};
      var box = document.getElementById("title-actions"); box.textContent = "";
      msg.data.buttons.forEach(function (b, i) {
        var button = el("button", { type: "button", "class": b.variant === "primary" ? "primary" : "" }, b.label);
        if (b.disabled) button.disabled = true;
        button.addEventListener("click", function () { send({ type: "title-action", data: { index: i } }); });
        box.appendChild(button);
      });
    },
    "toast": function (msg) {
      log.toasts.push(msg.data);
      var t = el("div", { "class": "toast" + (msg.data.isError ? " error" : ""), "data-toast-id": msg.data.id, role: "status" }, msg.data.message);
      document.getElementById("toasts").appendChild(t);
      setTimeout(function () { t.remove(); }, msg.data.duration);
    },
    "toast-hide": function (msg) { var t = document.querySelector('[data-toast-id="' + msg.data.id + '"]'); if (t) t.remove(); },
    "loading": function (msg) { document.getElementById("loading").className = msg.data.loading ? "on" : ""; },
    "location": function (msg) {
      var u = new URL(msg.data.path, boot.appOrigin);
      ["embedded", "shop", "host", "id_token", "locale", "hmac", "timestamp", "session"].forEach(function (k) { u.searchParams.delete(k); });
      var path = u.pathname === "/" ? "" : u.pathname;
      history.replaceState(null, "", boot.basePath + path + u.search);
      document.querySelectorAll("#app-nav a").forEach(function (a) { a.classList.toggle("current", a.getAttribute("data-href") === u.pathname); });
    },
    "ready": function () {}
  };
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || event.origin !== boot.appOrigin) return;
    var msg = event.data;
    if (!msg || msg.source !== "shopify-emulator-app" || !handlers[msg.type]) return;
    log.messages.push({ type: msg.type, data: msg.data });
    handlers[msg.type](msg);
  });
})();
</script>
</body>
</html>`;
}

export function renderShopHome(input: { shopName: string; apps: Array<{ name: string; href: string }> }): string {
  const links = input.apps.map((a) => `<li><a href="${escapeHtml(a.href)}">${escapeHtml(a.name)}</a></li>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.shopName)} · Shopify (emulator)</title><link rel="icon" href="data:,"></head>
<body style="font:14px sans-serif;padding:24px"><h1>${escapeHtml(input.shopName)}</h1><h2>Apps</h2><ul>${links}</ul></body></html>`;
}
