/* sohoa: what every page shares — JSON API calls with the CSRF token, messages, sign-in. */
"use strict";

window.sohoa = (function () {
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : null;
  }

  async function api(url, options) {
    const opts = options || {};
    const method = opts.method || "GET";
    const headers = new Headers({ Accept: "application/json" });
    const token = csrfToken();
    if (token && method !== "GET") headers.set("X-CSRF-Token", token);
    let body = opts.body;
    if (opts.json !== undefined) {
      headers.set("Content-Type", "application/json");
      body = JSON.stringify(opts.json);
    }
    let response;
    try {
      response = await fetch(url, { method, headers, body, credentials: "same-origin" });
    } catch (error) {
      throw new Error("Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.");
    }
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await response.json() : null;
    if (!response.ok) {
      if (data && data.code === "authentication_required") {
        throw new Error("Chưa đăng nhập hoặc phiên đăng nhập đã hết. Hãy tải lại trang và đăng nhập.");
      }
      throw new Error((data && data.message_vi) || "Máy chủ báo lỗi " + response.status + ".");
    }
    return data;
  }

  async function html(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error("Không tải được nội dung (lỗi " + response.status + ").");
    return response.text();
  }

  function showError(element, message) {
    if (!element) return;
    element.textContent = message || "";
    element.hidden = !message;
  }

  function notice(message) {
    const element = document.querySelector("[data-notice]");
    if (!element) return;
    element.textContent = message || "";
    element.hidden = !message;
  }

  function wireLogin() {
    const form = document.querySelector("form[data-login]");
    if (!form) return;
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const error = form.querySelector("[data-error]");
      const username = form.elements.username.value.trim();
      const password = form.elements.password.value;
      if (!username || !password) {
        showError(error, "Hãy nhập tên đăng nhập và mật khẩu.");
        return;
      }
      try {
        await api("/api/auth/login", { method: "POST", json: { username, password } });
        window.location.assign(form.dataset.next || "/");
      } catch (failure) {
        showError(error, failure.message);
      }
    });
  }

  function wireLogout() {
    const button = document.querySelector("[data-logout]");
    if (!button) return;
    button.addEventListener("click", async function () {
      try {
        await api("/api/auth/logout", { method: "POST" });
      } finally {
        window.location.assign("/dang-nhap");
      }
    });
  }

  function wireFixity() {
    const button = document.querySelector("[data-fixity]");
    if (!button) return;
    button.addEventListener("click", async function () {
      button.disabled = true;
      try {
        const result = await api("/api/dossiers/" + encodeURIComponent(button.dataset.fixity) + "/fixity",
                                 { method: "POST" });
        notice("Đã đọc lại " + result.checked + " đối tượng; " + result.problems.length + " có vấn đề.");
        window.location.reload();
      } catch (failure) {
        showError(button.parentElement.querySelector("[data-error]"), failure.message);
        button.disabled = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    wireLogin();
    wireLogout();
    wireFixity();
  });

  return { api, html, showError, notice };
})();
