// Stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js, served by the Shop Sync emulator at
// /app-bridge.js. It implements the part of the App Bridge v4 `shopify` global that
// @shopify/app-bridge-react 4.x and @shopify/shopify-app-remix use, talking to the emulator's admin
// shell (the parent frame) over postMessage instead of to Shopify's admin:
//   shopify.idToken()        fresh session token from the shell (1-minute JWTs, cached until near expiry)
//   window.fetch             same-origin requests get "Authorization: Bearer <token>"; a 401 with
//                            X-Shopify-Retry-Invalid-Session-Request is retried once with a new token;
//                            X-Shopify-API-Request-Failure-Reauthorize-Url navigates the top window
//   shopify.toast / loading  shown by the shell
//   <ui-nav-menu>            links rendered in the shell's left nav; clicks come back as
//                            "shopify:navigate" events (what the Remix AppProvider listens for)
//   <ui-title-bar>           title and buttons rendered in the shell's title bar
//   <ui-modal>, <ui-save-bar> minimal in-frame versions
//   bounce page              /auth/session-token?shopify-reload=… reloads with a fresh id_token
// Plain browser JavaScript, no build step.
(function () {
  "use strict";
  if (window.shopify && window.shopify.__emulator) return;

  var script = document.currentScript;
  var scriptOrigin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var params = new URLSearchParams(location.search);
  var meta = document.querySelector('meta[name="shopify-api-key"]');
  var apiKey = (script && script.getAttribute("data-api-key")) || (meta && meta.getAttribute("content")) || "";
  // sessionStorage throws (SecurityError) in a cross-site frame when the browser blocks third-party
  // storage (Chromium's incognito default, which headless browser tests use): fall back to memory.
  var memory = {};
  function stored(key, value) {
    try {
      if (value === undefined) return window.sessionStorage.getItem(key);
      window.sessionStorage.setItem(key, value);
    } catch {
      if (value === undefined) return memory[key] || null;
      memory[key] = value;
    }
    return null;
  }
  var shop = params.get("shop") || stored("shopify-emulator:shop") || "";
  var host = params.get("host") || stored("shopify-emulator:host") || "";
  if (shop) stored("shopify-emulator:shop", shop);
  if (host) stored("shopify-emulator:host", host);
  var embedded = window.top !== window.self;
  var parentOrigin = scriptOrigin; // the shell is served by the same emulator as this script

  // ---- messaging with the shell --------------------------------------------------------------
  var nextId = 1;
  var pending = {};
  function post(type, data) {
    if (!embedded) return;
    window.parent.postMessage({ source: "shopify-emulator-app", type: type, data: data || {} }, parentOrigin);
  }
  function request(type, data) {
    return new Promise(function (resolve, reject) {
      if (!embedded) return reject(new Error("App Bridge (emulator): not embedded in the admin shell"));
      var id = nextId++;
      var timer = setTimeout(function () {
        if (pending[id]) {
          delete pending[id];
          reject(new Error("App Bridge (emulator): no answer to " + type));
        }
      }, 10000);
      pending[id] = {
        resolve: function (value) {
          clearTimeout(timer);
          resolve(value);
        },
        reject: function (error) {
          clearTimeout(timer);
          reject(error);
        },
      };
      window.parent.postMessage({ source: "shopify-emulator-app", type: type, id: id, data: data || {} }, parentOrigin);
    });
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== parentOrigin || !event.data || event.data.source !== "shopify-emulator-shell") return;
    var msg = event.data;
    if (msg.replyTo && pending[msg.replyTo]) {
      var p = pending[msg.replyTo];
      delete pending[msg.replyTo];
      if (msg.error) p.reject(new Error(msg.error));
      else p.resolve(msg.data);
      return;
    }
    if (msg.type === "navigate") navigate(msg.data.href);
    if (msg.type === "title-action") clickTitleButton(msg.data.index);
  });

  // ---- session tokens ------------------------------------------------------------------------
  var cached = null; // { token, exp }
  var initial = params.get("id_token");
  function expOf(token) {
    try {
      var payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return payload.exp * 1000;
    } catch {
      return 0;
    }
  }
  if (initial) cached = { token: initial, exp: expOf(initial) };
  var inflight = null;
  function idToken() {
    // Keep a 10 s margin: the app's server allows 10 s of clock skew, the token lives 60 s.
    if (cached && cached.exp - Date.now() > 10000) return Promise.resolve(cached.token);
    if (inflight) return inflight;
    inflight = request("id-token", { shop: shop })
      .then(function (data) {
        cached = { token: data.token, exp: expOf(data.token) };
        return data.token;
      })
      .finally(function () {
        inflight = null;
      });
    return inflight;
  }

  // ---- authenticated fetch -------------------------------------------------------------------
  var config = { apiKey: apiKey, shop: shop, host: host, locale: params.get("locale") || "en", appOrigins: [] };
  function allowedOrigin(url) {
    if (url.origin === location.origin) return true;
    return (config.appOrigins || []).indexOf(url.origin) >= 0;
  }
  var originalFetch = window.fetch.bind(window);
  function authenticatedFetch(input, init) {
    var req = new Request(input, init);
    var url = new URL(req.url, location.href);
    if (!allowedOrigin(url) || req.headers.has("Authorization")) return originalFetch(req);
    var retry = req.clone();
    return idToken().then(function (token) {
      var first = new Request(req, { headers: withAuth(req.headers, token) });
      return originalFetch(first).then(function (res) {
        handleReauthorize(res);
        if (res.status === 401 && res.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
          cached = null;
          return idToken().then(function (fresh) {
            return originalFetch(new Request(retry, { headers: withAuth(retry.headers, fresh) })).then(
              function (again) {
                handleReauthorize(again);
                return again;
              },
            );
          });
        }
        return res;
      });
    });
  }
  function withAuth(headers, token) {
    var h = new Headers(headers);
    h.set("Authorization", "Bearer " + token);
    return h;
  }
  function handleReauthorize(res) {
    var url = res.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
    if (url) window.open(url, "_top");
  }
  window.fetch = authenticatedFetch;

  // ---- navigation ----------------------------------------------------------------------------
  var navigateListeners = 0;
  var addListener = window.addEventListener.bind(window);
  var removeListener = window.removeEventListener.bind(window);
  window.addEventListener = function (type, listener, options) {
    if (type === "shopify:navigate") navigateListeners++;
    return addListener(type, listener, options);
  };
  window.removeEventListener = function (type, listener, options) {
    if (type === "shopify:navigate") navigateListeners = Math.max(0, navigateListeners - 1);
    return removeListener(type, listener, options);
  };
  function navigate(href) {
    if (navigateListeners > 0) {
      // The Remix AppProvider reads event.target.getAttribute("href").
      var anchor = document.createElement("a");
      anchor.setAttribute("href", href);
      anchor.style.display = "none";
      document.body.appendChild(anchor);
      anchor.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true, composed: true }));
      anchor.remove();
      return;
    }
    var target = new URL(href, location.href);
    ["embedded", "shop", "host", "locale"].forEach(function (k) {
      if (params.get(k) && !target.searchParams.has(k)) target.searchParams.set(k, params.get(k));
    });
    idToken().then(function (token) {
      target.searchParams.set("id_token", token);
      location.assign(target.toString());
    });
  }
  function reportLocation() {
    post("location", { path: location.pathname + location.search });
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      reportLocation();
      return result;
    };
  });
  addListener("popstate", reportLocation);

  // ---- web components ------------------------------------------------------------------------
  function define(name, ctor) {
    if (!customElements.get(name)) customElements.define(name, ctor);
  }
  function observe(element, callback) {
    var schedule = function () {
      clearTimeout(element.__emuTimer);
      element.__emuTimer = setTimeout(callback, 0);
    };
    element.__emuObserver = new MutationObserver(schedule);
    element.__emuObserver.observe(element, { childList: true, subtree: true, attributes: true, characterData: true });
    schedule();
  }
  function unobserve(element) {
    if (element.__emuObserver) element.__emuObserver.disconnect();
  }

  class NavMenu extends HTMLElement {
    connectedCallback() {
      this.style.display = "none";
      observe(this, () => {
        var items = [];
        this.querySelectorAll("a").forEach(function (a) {
          items.push({
            label: (a.textContent || "").trim(),
            href: a.getAttribute("href") || "/",
            home: a.getAttribute("rel") === "home",
          });
        });
        post("nav", { items: items });
      });
    }
    disconnectedCallback() {
      unobserve(this);
      post("nav", { items: [] });
    }
  }
  define("ui-nav-menu", NavMenu);

  var titleButtons = [];
  function clickTitleButton(index) {
    var button = titleButtons[index];
    if (button) button.click();
  }
  class TitleBar extends HTMLElement {
    connectedCallback() {
      this.style.display = "none";
      if (this.closest("ui-modal")) return; // a modal's own title bar
      observe(this, () => {
        titleButtons = Array.prototype.slice.call(this.querySelectorAll("button, a"));
        post("title", {
          title: this.getAttribute("title") || "",
          buttons: titleButtons.map(function (b) {
            return {
              label: (b.textContent || "").trim(),
              variant: b.getAttribute("variant") || "secondary",
              disabled: b.hasAttribute("disabled"),
            };
          }),
        });
      });
    }
    disconnectedCallback() {
      unobserve(this);
      if (!this.closest("ui-modal")) post("title", { title: "", buttons: [] });
    }
  }
  define("ui-title-bar", TitleBar);

  // Shared by <ui-modal> (an overlay with a `content` element React portals into) and <ui-save-bar>.
  class Toggleable extends HTMLElement {
    constructor() {
      super();
      this.__open = false;
    }
    get open() {
      return this.__open;
    }
    __display(visible) {
      this.style.display = visible ? "flex" : "none";
    }
    show() {
      this.__display(true);
      if (!this.__open) {
        this.__open = true;
        this.dispatchEvent(new Event("show"));
      }
      return Promise.resolve();
    }
    hide() {
      this.__display(false);
      if (this.__open) {
        this.__open = false;
        this.dispatchEvent(new Event("hide"));
      }
      return Promise.resolve();
    }
    toggle() {
      return this.__open ? this.hide() : this.show();
    }
  }
  class Modal extends Toggleable {
    constructor() {
      super();
      this.__overlay = document.createElement("div");
      this.__overlay.setAttribute("data-shopify-emulator", "modal");
      this.__overlay.style.cssText =
        "position:fixed;inset:0;background:rgba(0,0,0,.45);display:none;align-items:center;justify-content:center;z-index:2147483000";
      var panel = document.createElement("div");
      panel.style.cssText =
        "background:#fff;border-radius:12px;min-width:320px;max-width:90vw;max-height:90vh;overflow:auto;padding:16px;box-shadow:0 8px 32px rgba(0,0,0,.3)";
      this.__heading = document.createElement("h2");
      this.__heading.style.cssText = "font-size:16px;margin:0 0 12px";
      this.content = document.createElement("div");
      this.__actions = document.createElement("div");
      this.__actions.style.cssText = "display:flex;gap:8px;justify-content:flex-end;margin-top:12px";
      panel.appendChild(this.__heading);
      panel.appendChild(this.content);
      panel.appendChild(this.__actions);
      this.__overlay.appendChild(panel);
    }
    // The modal's <ui-title-bar> (hidden in the app's DOM) gives the panel its heading and buttons, as
    // Shopify's admin draws them; a button here clicks the app's own, where React listens.
    __renderTitleBar() {
      var bar = this.querySelector("ui-title-bar");
      var actions = this.__actions;
      this.__heading.textContent = bar ? bar.getAttribute("title") || "" : "";
      actions.textContent = "";
      if (!bar) return;
      Array.prototype.forEach.call(bar.querySelectorAll("button"), function (original) {
        var copy = document.createElement("button");
        copy.type = "button";
        copy.textContent = (original.textContent || "").trim();
        var primary = original.getAttribute("variant") === "primary";
        copy.style.cssText =
          "border-radius:8px;padding:6px 12px;cursor:pointer;border:1px solid " +
          (primary ? "#303030;background:#303030;color:#fff" : "#c9c9c9;background:#fff");
        if (primary && original.getAttribute("tone") === "critical") copy.style.background = "#c70a24";
        copy.addEventListener("click", function () {
          original.click();
        });
        actions.appendChild(copy);
      });
    }
    connectedCallback() {
      this.style.display = "none";
    }
    disconnectedCallback() {
      this.__overlay.remove();
    }
    __display(visible) {
      // The overlay joins <body> only when first shown: the app's document is hydrated by React, and
      // a node added to <body> before hydration (this element connects while the server's HTML is
      // parsed) makes the DOM differ from what React rendered (React error #418). Shopify's real
      // modal is drawn by the admin outside the app's frame, so it never touches the app's DOM either.
      if (visible && !this.__overlay.isConnected) document.body.appendChild(this.__overlay);
      if (visible) this.__renderTitleBar();
      this.__overlay.style.display = visible ? "flex" : "none";
    }
  }
  define("ui-modal", Modal);
  class SaveBar extends Toggleable {
    connectedCallback() {
      this.style.cssText =
        "display:none;position:fixed;top:0;left:0;right:0;z-index:2147482000;background:#1a1a1a;color:#fff;padding:8px 16px;gap:8px;justify-content:flex-end";
    }
  }
  define("ui-save-bar", SaveBar);

  function byId(id) {
    var el = document.getElementById(id);
    if (!el) return Promise.reject(new Error("No element with id " + id));
    return Promise.resolve(el);
  }

  // ---- the global ----------------------------------------------------------------------------
  var toastId = 0;
  var unsupported = function (name) {
    return function () {
      return Promise.reject(new Error("App Bridge (emulator): " + name + " is not emulated"));
    };
  };
  var readyResolve;
  var shopify = {
    __emulator: true,
    config: config,
    origin: parentOrigin,
    ready: new Promise(function (resolve) {
      readyResolve = resolve;
    }),
    environment: { mobile: false, embedded: embedded, pos: false },
    idToken: idToken,
    loading: function (isLoading) {
      post("loading", { loading: isLoading !== false });
    },
    toast: {
      show: function (message, opts) {
        var id = "toast-" + ++toastId;
        opts = opts || {};
        post("toast", { id: id, message: String(message), isError: !!opts.isError, duration: opts.duration || 5000 });
        return id;
      },
      hide: function (id) {
        post("toast-hide", { id: id });
      },
    },
    user: function () {
      return idToken().then(function (token) {
        var payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
        return { id: Number(payload.sub), name: "Emulator Owner", accountAccess: "Account owner" };
      });
    },
    modal: {
      show: function (id) {
        return byId(id).then(function (el) {
          return el.show();
        });
      },
      hide: function (id) {
        return byId(id).then(function (el) {
          return el.hide();
        });
      },
      toggle: function (id) {
        return byId(id).then(function (el) {
          return el.toggle();
        });
      },
    },
    saveBar: {
      show: function (id) {
        return byId(id).then(function (el) {
          return el.show();
        });
      },
      hide: function (id) {
        return byId(id).then(function (el) {
          return el.hide();
        });
      },
      toggle: function (id) {
        return byId(id).then(function (el) {
          return el.toggle();
        });
      },
      leaveConfirmation: function () {
        return Promise.resolve();
      },
    },
    scopes: {
      query: function () {
        return request("scopes", {});
      },
      request: unsupported("scopes.request"),
      revoke: unsupported("scopes.revoke"),
    },
    resourcePicker: unsupported("resourcePicker"),
    picker: unsupported("picker"),
    scanner: { capture: unsupported("scanner") },
    intents: { invoke: unsupported("intents") },
    webVitals: {
      onReport: function () {
        return Promise.resolve();
      },
    },
    support: {
      registerHandler: function () {
        return Promise.resolve();
      },
    },
    reviews: {
      request: function () {
        return Promise.resolve({ success: false, code: "mobile-app", message: "emulator" });
      },
    },
    app: {},
    setSignals: function () {},
  };
  window.shopify = shopify;

  // ---- bounce page: /auth/session-token?…&shopify-reload=<url> -------------------------------
  var reload = params.get("shopify-reload");
  if (reload) {
    var target = new URL(reload, location.href);
    if (target.origin === location.origin) {
      idToken().then(function (token) {
        target.searchParams.set("id_token", token);
        location.replace(target.toString());
      });
    }
  }

  post("ready", { apiKey: apiKey, path: location.pathname + location.search });
  reportLocation();
  readyResolve();
})();
