// gradzone: results as you type on the search page, and the CSRF header for
// fetch calls made with the session cookie.
(function () {
  function csrf() {
    var m = document.cookie.match(/(?:^|; )gz_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  window.gzFetch = function (url, opts) {
    opts = opts || {};
    opts.headers = Object.assign({ "X-CSRF-Token": csrf() }, opts.headers || {});
    opts.credentials = "same-origin";
    return fetch(url, opts);
  };
  // A form that came back with errors: put the cursor in the first field in
  // error (the messages are already beside each field, from the server).
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
  var input = document.querySelector('[data-testid="search-input"]');
  var form = input && input.form;
  if (!form) return;
  var timer, seq = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var params = new URLSearchParams(new FormData(form));
      params.set("page", "1");
      var mine = ++seq;
      fetch("/?" + params.toString() + "&partial=1", { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          if (mine !== seq) return; // a newer query answered first
          document.getElementById("results").innerHTML = html;
          history.replaceState(null, "", "/?" + params.toString());
        });
    }, 200);
  });
})();
