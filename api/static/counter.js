/* Counter (Tiếp nhận hồ sơ): procedure search, checklist, uploads with progress, corrections,
   answers and archiving. Everything shown comes escaped from the server or via textContent. */
"use strict";

(function () {
  const sohoa = window.sohoa;
  const JOB_STATUS = { queued: "Đang chờ", running: "Đang xử lý", retrying: "Đang thử lại",
                       done: "Xong", failed: "Lỗi" };

  /* 1. Choose the procedure ------------------------------------------------------------- */
  function wireProcedureSearch() {
    const form = document.querySelector("form[data-procedure-search]");
    const results = document.querySelector("[data-procedure-results]");
    const checklist = document.querySelector("[data-checklist]");
    if (!form || !results || !checklist) return;
    const input = form.elements.q;
    let timer = null;
    let asked = 0;

    async function lookUp() {
      const query = input.value.trim();
      const ticket = ++asked;
      if (!query) { results.replaceChildren(); return; }
      try {
        const data = await sohoa.api("/api/procedures?q=" + encodeURIComponent(query));
        if (ticket !== asked) return;  // a newer query is on its way
        showResults(data.procedures, query);
      } catch (error) {
        results.replaceChildren(message(error.message, "error"));
      }
    }

    function showResults(procedures, query) {
      if (!procedures.length) {
        results.replaceChildren(message("Không có thủ tục nào khớp «" + query + "».", "muted"));
        return;
      }
      const list = document.createElement("ul");
      list.className = "results";
      procedures.slice(0, 30).forEach(function (p) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = "?thu_tuc=" + encodeURIComponent(p.code);
        link.dataset.code = p.code;
        const code = document.createElement("span");
        code.className = "code";
        code.textContent = p.code;
        link.append(code, " " + p.name);
        item.append(link);
        list.append(item);
      });
      results.replaceChildren(list);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 150);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); lookUp(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        const first = results.querySelector("a[data-code]");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    results.addEventListener("keydown", function (event) {
      const links = Array.from(results.querySelectorAll("a[data-code]"));
      const at = links.indexOf(document.activeElement);
      if (at < 0) return;
      if (event.key === "ArrowDown" && at + 1 < links.length) { event.preventDefault(); links[at + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
    });
    results.addEventListener("click", async function (event) {
      const link = event.target.closest("a[data-code]");
      if (!link) return;
      event.preventDefault();
      try {
        checklist.innerHTML = await sohoa.html("/tiep-nhan/thu-tuc/" + encodeURIComponent(link.dataset.code));
        history.replaceState(null, "", "?thu_tuc=" + encodeURIComponent(link.dataset.code));
        const heading = checklist.querySelector("h2");
        if (heading) { heading.tabIndex = -1; heading.focus(); }
      } catch (error) {
        sohoa.notice(error.message);
      }
    });
  }

  function message(text, className) {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  /* 2. The dossier: uploads and progress -------------------------------------------------- */
  function wireUpload(panel) {
    const form = document.querySelector("form[data-upload]");
    if (!form) return;
    const input = form.querySelector('input[type="file"]');
    const zone = form.querySelector("[data-dropzone]");
    const chosen = form.querySelector("[data-chosen]");
    const error = form.querySelector("[data-error]");

    function listChosen() {
      chosen.replaceChildren();
      Array.from(input.files).forEach(function (file) {
        const item = document.createElement("li");
        item.textContent = file.name + " (" + Math.ceil(file.size / 1024) + " KB)";
        chosen.append(item);
      });
    }
    input.addEventListener("change", listChosen);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        const merged = new DataTransfer();  // add to the files already chosen
        Array.from(input.files).forEach(function (file) { merged.items.add(file); });
        Array.from(event.dataTransfer.files).forEach(function (file) { merged.items.add(file); });
        input.files = merged.files;
        listChosen();
      }
    });
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      sohoa.showError(error, "");
      if (!input.files.length) {
        sohoa.showError(error, "Hãy chọn hoặc kéo thả ít nhất một tệp quét.");
        input.focus();
        return;
      }
      const body = new FormData();
      Array.from(input.files).forEach(function (file) { body.append("file", file, file.name); });
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      try {
        const data = await sohoa.api(form.dataset.url, { method: "POST", body });
        sohoa.notice("Đã nhận " + data.jobs.length + " tệp; đang đọc và phân loại.");
        input.value = "";
        chosen.replaceChildren();
        await refresh(panel);
      } catch (failure) {
        sohoa.showError(error, failure.message);
      } finally {
        button.disabled = false;
      }
    });
  }

  let polling = false;
  let announced = true;

  async function poll(panel) {
    if (polling) return;
    polling = true;
    try {
      for (;;) {
        const open = Array.from(panel.querySelectorAll("[data-job]")).filter(function (row) {
          return row.dataset.status !== "done" && row.dataset.status !== "failed";
        });
        if (!open.length) break;
        announced = false;
        await new Promise(function (resolve) { setTimeout(resolve, 800); });
        let finished = false;
        for (const row of open) {
          const job = await sohoa.api("/api/jobs/" + encodeURIComponent(row.dataset.job));
          showJob(row, job);
          finished = finished || job.status === "done" || job.status === "failed";
        }
        if (finished) await refresh(panel, true);
      }
      if (!announced) {
        announced = true;
        sohoa.notice("Đã xử lý xong các tệp: danh sách giấy tờ và kết luận đã cập nhật.");
      }
    } catch (error) {
      sohoa.notice(error.message);
    } finally {
      polling = false;
    }
  }

  function showJob(row, job) {
    row.dataset.status = job.status;
    const progress = row.querySelector("progress");
    progress.max = Math.max(1, job.progress.pages_total);
    progress.value = job.progress.pages_done;
    row.querySelector("[data-job-pages]").textContent =
      job.progress.pages_done + "/" + job.progress.pages_total + " trang";
    row.querySelector("[data-job-status]").textContent = JOB_STATUS[job.status] || job.status;
  }

  async function refresh(panel, quiet) {
    const focused = document.activeElement && document.activeElement.id;
    panel.innerHTML = await sohoa.html(panel.dataset.url);
    if (focused) {
      const again = document.getElementById(focused);
      if (again) again.focus();
    }
    if (!quiet) poll(panel);  // the polling loop itself refreshes quietly
  }

  /* 3. Corrections, answers, archiving (delegated: the panel is replaced after each) ------ */
  function wirePanel(panel) {
    panel.addEventListener("submit", async function (event) {
      const form = event.target;
      event.preventDefault();
      const error = form.querySelector("[data-error]");
      sohoa.showError(error, "");
      try {
        if (form.dataset.correct) await correct(form.dataset.correct, form.elements.doc_type.value);
        else if (form.dataset.answers) await answer(form);
        else if (form.dataset.archive) { await archive(form, error); return; }
        await refresh(panel);
      } catch (failure) {
        sohoa.showError(error, failure.message);
      }
    });
    panel.addEventListener("click", async function (event) {
      const button = event.target.closest("[data-accept]");
      if (!button) return;
      const form = button.closest("form");
      try {
        await correct(button.dataset.accept, form.elements.doc_type.value);
        await refresh(panel);
      } catch (failure) {
        sohoa.showError(form.querySelector("[data-error]"), failure.message);
      }
    });
  }

  async function correct(documentId, docType) {
    const data = await sohoa.api("/api/documents/" + encodeURIComponent(documentId) + "/correction",
                                 { method: "POST", json: { doc_type: docType } });
    sohoa.notice("Đã ghi loại giấy tờ: " + data.doc_type_name + ".");
  }

  async function answer(form) {
    const answers = {};
    form.querySelectorAll('input[type="radio"]:checked').forEach(function (radio) {
      answers[radio.name] = radio.value === "true";
    });
    if (!Object.keys(answers).length) throw new Error("Chưa chọn câu trả lời nào.");
    await sohoa.api("/api/dossiers/" + encodeURIComponent(form.dataset.answers) + "/answers",
                    { method: "PUT", json: { answers } });
    sohoa.notice("Đã lưu câu trả lời; báo cáo thành phần đã được tính lại.");
  }

  async function archive(form, error) {
    const reason = form.elements.override_reason;
    const payload = {};
    if (reason) {
      if (!reason.value.trim()) {
        sohoa.showError(error, "Hồ sơ chưa đầy đủ: hãy ghi lý do lưu trữ.");
        reason.setAttribute("aria-invalid", "true");
        reason.focus();
        return;
      }
      payload.override_reason = reason.value.trim();
    }
    await sohoa.api("/api/dossiers/" + encodeURIComponent(form.dataset.archive) + "/archive",
                    { method: "POST", json: payload });
    window.location.reload();
  }

  document.addEventListener("DOMContentLoaded", function () {
    wireProcedureSearch();
    const panel = document.querySelector("[data-panel]");
    if (panel) {
      wireUpload(panel);
      wirePanel(panel);
      poll(panel);
    }
  });
})();
