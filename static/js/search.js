/* Results as you type on the home page: an ARIA 1.2 combobox over the brand-search API.
   Progressive enhancement: without this file the form is a plain GET search that works the same. */
(function () {
  "use strict";

  const form = document.getElementById("brand-search");
  if (!form || !window.fetch || !window.AbortController) return;
  const input = form.querySelector("#q");
  const list = document.getElementById("q-suggestions");
  const status = document.getElementById("q-status");
  const labels = document.getElementById("q-suggestion-labels");
  const api = form.getAttribute("data-api");
  if (!input || !list || !status || !api) return;

  const DELAY_MS = 150;
  const LIMIT = 8;
  let results = [];
  let active = -1;
  let timer = null;
  let controller = null;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function label(name) {
    const node = labels && labels.content.querySelector("[data-" + name + "]");
    return node ? node.textContent : "";
  }

  function announce(count) {
    let text = status.getAttribute(count === 0 ? "data-none" : count === 1 ? "data-one" : "data-many") || "";
    status.textContent = text.replace("%(count)s", String(count));
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function open() {
    if (!results.length) return;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function setActive(index) {
    const options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function go(index) {
    const result = results[index];
    if (result && result.url) window.location.assign(result.url);
  }

  function option(result, index) {
    const item = document.createElement("li");
    item.id = "q-option-" + index;
    item.className = "suggestion";
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");

    const grade = document.createElement("span");
    grade.className = "grade grade-small grade-" + (result.grade || "none");
    grade.setAttribute("aria-hidden", "true");
    grade.textContent = result.grade || "–";

    const text = document.createElement("span");
    text.className = "suggestion-text";
    const name = document.createElement("span");
    name.className = "suggestion-name";
    name.textContent = result.brand ? result.brand.name : result.company.name;
    const meta = document.createElement("span");
    meta.className = "suggestion-meta";
    const owner = result.brand ? label("by") + " " + result.company.name + " · " : "";
    meta.textContent = owner + (result.grade ? label("grade") + " " + result.grade : label("no-disclosure"));
    text.append(name, meta);
    item.append(grade, text);

    // mousedown, not click: the input must not lose focus (and close the list) before we navigate.
    item.addEventListener("mousedown", function (event) {
      event.preventDefault();
      go(index);
    });
    return item;
  }

  function render(data) {
    results = (data && data.results) || [];
    list.textContent = "";
    results.forEach(function (result, index) {
      list.appendChild(option(result, index));
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (results.length) open(); else close();
    announce(results.length);
  }

  function search(query) {
    if (controller) controller.abort();
    controller = new AbortController();
    const url = api + "?limit=" + LIMIT + "&q=" + encodeURIComponent(query);
    fetch(url, { signal: controller.signal, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 400) return { results: [] }; // e.g. too long: the form explains on submit
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (input.value.trim() === query) render(data);
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        close();
        status.textContent = status.getAttribute("data-error") || "";
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      if (controller) controller.abort();
      results = [];
      list.textContent = "";
      close();
      return;
    }
    timer = window.setTimeout(search, DELAY_MS, query);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden) open();
      if (results.length) setActive(Math.min(active + 1, results.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (!list.hidden) setActive(Math.max(active - 1, -1));
    } else if (event.key === "Enter") {
      // With an option chosen, open it; otherwise the plain form submits to the results page.
      if (!list.hidden && active >= 0) {
        event.preventDefault();
        go(active);
      }
    } else if (event.key === "Escape") {
      if (!list.hidden) {
        event.preventDefault();
        close();
      }
    }
  });

  input.addEventListener("blur", function () {
    close();
  });
})();
