// Runs before Scalar: stamps the page's CSP nonce on every <style> element scripts create. Scalar's own sheet reads
// the nonce itself; its theme and its toast library's sheets do not, and the CSP (no 'unsafe-inline') would drop them.
(function () {
  var meta = document.querySelector('meta[property="csp-nonce"]');
  var nonce = meta && meta.getAttribute('content');
  if (!nonce) return;
  var create = document.createElement;
  document.createElement = function (tag) {
    var el = create.apply(document, arguments);
    if (String(tag).toLowerCase() === 'style') el.nonce = nonce;
    return el;
  };
})();
