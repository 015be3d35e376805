/* Review (Rà soát): keyboard shortcuts A accept, T type, F field, N next, Ctrl+Enter save. */
"use strict";

(function () {
  const sohoa = window.sohoa;

  function editing(element) {
    return element && element.matches("input, select, textarea, [contenteditable]");
  }

  document.addEventListener("DOMContentLoaded", function () {
    const review = document.querySelector("[data-review]");
    const form = document.querySelector("form[data-review-form]");
    if (!review) return;
    const next = review.dataset.next;
    const error = form ? form.querySelector("[data-error]") : null;

    async function send(docType, fields) {
      sohoa.showError(error, "");
      try {
        await sohoa.api("/api/documents/" + encodeURIComponent(form.dataset.reviewForm) + "/correction",
                        { method: "POST", json: { doc_type: docType, fields } });
        sohoa.notice("Đã lưu. Sang giấy tờ tiếp theo…");
        window.location.assign(next);
      } catch (failure) {
        sohoa.showError(error, failure.message);
      }
    }

    function accept() {
      const select = form.elements.doc_type;
      send(select.dataset.original, {});
    }

    function save() {
      const fields = {};
      form.querySelectorAll("[data-field]").forEach(function (input) {
        if (input.value.trim() !== input.dataset.original) fields[input.name] = input.value.trim();
      });
      send(form.elements.doc_type.value, fields);
    }

    if (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
      form.querySelector("[data-accept]").addEventListener("click", accept);
    }

    document.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && form) {
        event.preventDefault();
        save();
        return;
      }
      if (event.key === "Escape" && editing(document.activeElement)) {
        document.activeElement.blur();
        return;
      }
      if (editing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === "n") { event.preventDefault(); window.location.assign(next); }
      if (!form) return;
      if (key === "a") { event.preventDefault(); accept(); }
      if (key === "t") { event.preventDefault(); form.elements.doc_type.focus(); }
      if (key === "f") {
        const first = form.querySelector("[data-field]");
        if (first) { event.preventDefault(); first.focus(); first.select(); }
      }
    });
  });
})();
