// gradzone: results as you type on the search page, and the CSRF header for
// fetch calls made with the session cookie.
(function () {
  // The page's form token (bound to the session; the cookie alone is not
  // the token).
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
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
  // A cover letter being typed outlives the page's other forms (收藏 above
  // it reloads the page): it is kept for this tab until the application is
  // sent.
  var cover = document.querySelector('form[action$="/apply"] textarea[name="cover_letter"]');
  var coverKey = "gz-cover:" + location.pathname;
  if (cover) {
    try {
      if (!cover.value) cover.value = sessionStorage.getItem(coverKey) || "";
      cover.addEventListener("input", function () { sessionStorage.setItem(coverKey, cover.value); });
    } catch (e) { /* storage off: the letter is typed again */ }
  } else if (document.querySelector('[data-testid="applied-state"]')) {
    try { sessionStorage.removeItem(coverKey); } catch (e) { /* nothing kept */ }
  }
  // Signing out forgets every letter kept: on a shared computer the next
  // graduate in this tab must not find it.
  document.querySelectorAll('form[action="/logout"]').forEach(function (f) {
    f.addEventListener("submit", function () {
      try {
        Object.keys(sessionStorage).forEach(function (k) { if (k.indexOf("gz-cover:") === 0) sessionStorage.removeItem(k); });
      } catch (e) { /* nothing kept */ }
    });
  });
  // A page an action returned to one of its cards (#app-…) or rows
  // (#placement-…): the keyboard goes on from there, not from the top of
  // the page.
  // The cards' ids (app-…, o-…) need no decoding; a hash such as #% must not
  // stop the rest of the script.
  var target = !invalid && location.hash.length > 1 && document.getElementById(location.hash.slice(1));
  var flash = document.getElementById("flash");
  if (target && (target.classList.contains("card") || target.tagName === "TR")) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    // The message of the move (✓ 已入围, ✓ 已撤销) is read with it.
    if (flash) target.setAttribute("aria-describedby", ((target.getAttribute("aria-describedby") || "") + " flash").trim());
    target.focus();
  }
  // A page that came back with a message (申请已提交, 审核通过, a refusal)
  // and nothing else for the keyboard: the keyboard goes on from the
  // message, which a screen reader reads as it lands there. A live region
  // already on the page as it loads is not announced, and the keyboard was
  // at the top, ten tabs of header above (a keyboard walk). A field in
  // error, a returned card or a field the page focuses itself comes first,
  // and a page opened at a place of its own (#placement-…) stays there.
  if (flash && (!document.activeElement || document.activeElement === document.body) && !document.querySelector("[autofocus]") &&
      !(location.hash.length > 1 && document.getElementById(location.hash.slice(1)))) {
    flash.setAttribute("tabindex", "-1");
    flash.focus();
  }
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
          // The page's one live region says the new count (a region put in
          // anew with the list is not announced).
          var total = document.querySelector('[data-testid="result-total"]');
          var status = document.querySelector('[data-testid="results-status"]');
          if (total && status) status.textContent = total.textContent;
          // The title says what is searched, as the server's does.
          var titled = document.querySelector("[data-page-title]");
          if (titled) document.title = titled.getAttribute("data-page-title");
          history.replaceState(null, "", "/?" + params.toString());
        });
    }, 200);
  });
})();

// The phone's filter drawer (#filters, opened by its link, a CSS :target):
// while it is open the page behind it is inert, so Tab stays in it (an
// accessibility audit tabbed out into results hidden behind it), it is a
// modal dialog to a screen reader, and Esc closes it, back to its link.
(function () {
  var shown = false;
  function open() {
    var d = document.getElementById("filters");
    return d && location.hash === "#filters" && getComputedStyle(d).position === "fixed" ? d : null;
  }
  function sync() {
    var d = open() || document.getElementById("filters");
    if (!d) return;
    var on = !!open();
    for (var n = d; n && n !== document.body; n = n.parentElement) {
      for (var s = n.parentElement.firstElementChild; s; s = s.nextElementSibling) {
        if (s !== n) s.inert = on;
      }
    }
    if (on) {
      d.setAttribute("role", "dialog");
      d.setAttribute("aria-modal", "true");
      var first = d.querySelector("a, button");
      if (first) first.focus();
    } else {
      d.removeAttribute("role");
      d.removeAttribute("aria-modal");
    }
  }
  window.addEventListener("hashchange", function () {
    var was = shown;
    sync();
    shown = !!open();
    if (was && !shown) {
      var back = document.querySelector('[data-testid="filters-open"]');
      if (back) back.focus();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && open()) location.hash = "#results";
  });
  sync();
  shown = !!open();
})();

// Page behaviour that used to be inline <script> and onsubmit= attributes:
// the Content-Security-Policy runs scripts from /static only.
(function () {
  // Actions that cannot be taken back (reject, close) ask first: a button
  // or form with data-confirm shows its text and goes ahead only on OK.
  // The header's links on a phone scroll sideways inside their row: mark
  // the row while they overflow (scrolls), and each edge with more links
  // beyond it (more-start, more-end), for the fades and chevrons that say
  // so (app.css). A right-to-left page is not served, so scrollLeft grows
  // towards the end.
  var nav = document.querySelector("nav.main");
  if (nav) {
    var mark = function () {
      var over = nav.scrollWidth > nav.clientWidth + 1;
      nav.classList.toggle("scrolls", over);
      nav.classList.toggle("more-start", over && nav.scrollLeft > 1);
      nav.classList.toggle("more-end", over && nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 1);
    };
    // The page's own link opens whole in view, clear of the end's fade
    // (3rem): the row starts scrolled as far as it needs.
    var here = nav.querySelector('[aria-current="page"]');
    if (here && nav.scrollWidth > nav.clientWidth + 1) {
      var past = here.getBoundingClientRect().right - nav.getBoundingClientRect().right;
      if (past > -48) nav.scrollLeft += past + 48;
    }
    mark();
    nav.addEventListener("scroll", mark, { passive: true });
    window.addEventListener("resize", mark);
  }
  document.addEventListener("submit", function (ev) {
    var b = ev.submitter, msg = (b && b.dataset.confirm) || ev.target.dataset.confirm;
    if (msg && !window.confirm(msg)) ev.preventDefault();
  }, true);

  // Enter in an interview form's field sends that interview. The browser
  // presses a form's first button: on the board's bulk bar that is 入围,
  // which "shortlisted" the ticked applicants and lost the interview typed
  // (a keyboard walk). Enter that ends an input method's composition (a
  // Chinese place name) sends nothing. The keypress that may still follow
  // the keydown (the browser's own sending) is stopped.
  var interviewSend = function (ev) {
    var f = ev.target;
    if (ev.key !== "Enter" || ev.isComposing || !f || f.tagName !== "INPUT" || !f.form || !f.closest) return null;
    var d = f.closest("details.interview-form");
    return d && d.querySelector('button[name="to"][value="interview"]');
  };
  document.addEventListener("keydown", function (ev) {
    var send = interviewSend(ev);
    if (!send || !ev.target.form.requestSubmit) return; // an old browser: its own Enter
    ev.preventDefault();
    ev.target.form.requestSubmit(send);
  });
  document.addEventListener("keypress", function (ev) {
    if (interviewSend(ev) && ev.target.form.requestSubmit) ev.preventDefault();
  });

  // Event page: count a click on a linked opening (sendBeacon survives the
  // navigation the click starts).
  document.querySelectorAll(".event-opening").forEach(function (a) {
    a.addEventListener("click", function () {
      if (!navigator.sendBeacon) return;
      navigator.sendBeacon("/api/v1/events/" + a.dataset.event + "/clicks",
        new Blob([JSON.stringify({ opening_id: a.dataset.opening })], { type: "application/json" }));
    });
  });

  // Employer sign-up: the zone list shows the chosen province's zones only
  // (all 178 were listed whatever the province); a zone of another
  // province is cleared when the province changes.
  var prov = document.getElementById("e-province"), zone = document.getElementById("e-zone");
  if (prov && zone) {
    var fit = function () {
      Array.prototype.forEach.call(zone.options, function (o) {
        o.hidden = !!o.value && o.dataset.province !== prov.value;
      });
      if (zone.selectedOptions.length && zone.selectedOptions[0].hidden) { zone.value = ""; }
    };
    prov.addEventListener("change", fit);
    fit();
  }

  // Imports: follow a running import job; once it ends, show the page
  // again, which lists the outcome and each refused row in the reader's
  // language. A poll that fails (the server busy: 503) says so and tries
  // again, waiting longer each time; one the server refuses (signed out,
  // or the job gone) says to reload. The bar froze at 导入中 on one failed
  // poll (an import probe).
  // Every running import on the page follows its job: the card of the
  // one opened (?job=) and each running row of the recent list (a walk saw
  // a row stay at 0/4001 beside a card that moved). One poll per job; when
  // one ends the page is read again for its outcome.
  var job = document.getElementById("job");
  var recent = document.querySelector('[data-testid="recent-imports"]');
  var running = {};
  if (job && job.dataset.job && job.dataset.status === "running") { running[job.dataset.job] = true; }
  document.querySelectorAll('tr[data-testid="import-row"][data-status="running"]').forEach(function (tr) {
    running[tr.dataset.job] = true;
  });
  var follow = function (id) {
    var wait = 500, shown = "";
    var card = job && job.dataset.job === id ? job : null;
    var jobText = document.getElementById("job-text");
    var row = document.querySelector('tr[data-testid="import-row"][data-job="' + CSS.escape(id) + '"]');
    var poll = function () {
      fetch("/api/v1/imports/" + encodeURIComponent(id), { credentials: "same-origin" })
        .then(function (r) {
          if (r.status === 401 || r.status === 403 || r.status === 404) { throw { lost: true }; }
          if (!r.ok) { throw new Error("HTTP " + r.status); }
          return r.json();
        })
        .then(function (j) {
          if (j.status !== "running") { window.location.reload(); return; }
          var rows = j.done + "/" + j.total;
          if (card) {
            var bar = document.getElementById("job-bar");
            bar.max = j.total; bar.value = j.done;
            shown = card.dataset.checked.replace("{rows}", rows);
            jobText.textContent = shown + " · " + card.dataset.running;
          }
          if (row && recent) {
            var rowBar = row.querySelector("progress"), rowText = row.querySelector(".row-checked");
            if (rowBar) { rowBar.max = j.total; rowBar.value = j.done; }
            if (rowText) { rowText.textContent = recent.dataset.checked.replace("{rows}", rows); }
          }
          wait = 500;
          setTimeout(poll, wait);
        })
        .catch(function (e) {
          if (card && e && e.lost) { jobText.textContent = card.dataset.lost; return; }
          if (e && e.lost) { return; }
          if (card) { jobText.textContent = (shown ? shown + " · " : "") + card.dataset.retrying; }
          wait = Math.min(wait * 2, 30000);
          setTimeout(poll, wait);
        });
    };
    poll();
  };
  Object.keys(running).forEach(follow);
})();
