// The API's Redoc page (templates/api/redoc.html), loaded before Redoc's bundle so that the
// page keeps to the site's Content-Security-Policy:
// - Redoc adds its styles as <style> elements, some of them (the scrollbar's) as soon as its
//   bundle runs: each <style> added to the page without a nonce gets this script's nonce, the
//   request's, before it is inserted. Only scripts the policy already allows run here.
// - Redoc's menu shows a logo from its makers' server: an image from another origin is not
//   requested (the page asks nothing of another site) and stays hidden.
// Then, once the page is read, Redoc shows the schema at the container's data-schema-url.
(function () {
  "use strict";
  var nonce = document.currentScript && document.currentScript.nonce;

  function withNonce(node) {
    if (nonce && node instanceof HTMLStyleElement && !node.nonce) {
      node.setAttribute("nonce", nonce);
    }
    return node;
  }
  var appendChild = Node.prototype.appendChild;
  var insertBefore = Node.prototype.insertBefore;
  Node.prototype.appendChild = function (node) {
    return appendChild.call(this, withNonce(node));
  };
  Node.prototype.insertBefore = function (node, reference) {
    return insertBefore.call(this, withNonce(node), reference);
  };

  function elsewhere(value) {
    var url = new URL(String(value), document.baseURI);
    return url.protocol !== "data:" && url.origin !== window.location.origin;
  }
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      if (elsewhere(value)) {
        this.hidden = true;
      } else {
        src.set.call(this, value);
      }
    },
  });
  var setAttribute = Element.prototype.setAttribute;
  HTMLImageElement.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === "src" && elsewhere(value)) {
      this.hidden = true;
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("redoc-container");
    var options = { disableSearch: true };
    if (nonce) {
      options.nonce = nonce;
    }
    window.Redoc.init(container.dataset.schemaUrl, options, container);
  });
})();
