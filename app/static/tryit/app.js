// The try-it page: sends the chosen images to this server's own API and shows what it
// read. Everything stays in this page and this server; nothing is loaded from elsewhere.
"use strict";

const DEFAULT_FIELDS = [
  ["id_number", "Số căn cước"],
  ["full_name", "Họ và tên"],
  ["date_of_birth", "Ngày sinh"],
  ["sex", "Giới tính"],
  ["nationality", "Quốc tịch"],
  ["place_of_origin", "Quê quán"],
  ["place_of_residence", "Nơi thường trú"],
  ["date_of_expiry", "Có giá trị đến"],
];

const state = { files: [] };
const $ = (id) => document.getElementById(id);
const SVG_NS = "http://www.w3.org/2000/svg";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function addFieldRow(key = "", description = "") {
  const row = el("tr");
  const index = $("fields-table").tBodies[0].rows.length + 1;
  const keyInput = el("input", { type: "text", value: key, "aria-label": `Field ${index} key` });
  const descInput = el("input", {
    type: "text", value: description, "aria-label": `Field ${index} description`,
  });
  const remove = el("button", { type: "button", "aria-label": `Remove field ${index}` }, "×");
  remove.addEventListener("click", () => row.remove());
  row.append(el("td", {}, keyInput), el("td", {}, descInput), el("td", {}, remove));
  $("fields-table").tBodies[0].append(row);
}

function fieldsFromTable() {
  const info = {};
  for (const row of $("fields-table").tBodies[0].rows) {
    const [key, description] = [...row.querySelectorAll("input")].map((i) => i.value.trim());
    if (key) info[key] = description || key;
  }
  return info;
}

function setFiles(fileList) {
  state.files = [...fileList].filter((f) => f.type.startsWith("image/") || /\.(jpe?g|png|webp|bmp|tiff?)$/i.test(f.name));
  const list = $("file-list");
  list.replaceChildren(...state.files.map((f) => el("li", {}, `${f.name} (${Math.round(f.size / 1024)} KB)`)));
  setStatus(state.files.length ? `${state.files.length} image(s) ready` : "No image chosen");
}

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

async function run(endpoint) {
  if (!state.files.length) {
    setStatus("Chọn ít nhất một ảnh / Choose at least one image", true);
    return;
  }
  const form = new FormData();
  for (const file of state.files) form.append("image_file", file, file.name);
  if (endpoint === "ocr") {
    form.append("display_text_box", "true");
  } else {
    const info = fieldsFromTable();
    if (!Object.keys(info).length) {
      setStatus("Thêm ít nhất một trường / Add at least one field", true);
      return;
    }
    form.append("config", JSON.stringify({ info, mode: $("mode").value, display_text_box: true }));
  }
  const headers = {};
  const token = $("token").value.trim();
  if (token) headers["X-API-Token"] = token;
  setStatus("Đang xử lý… / Working…");
  document.body.setAttribute("aria-busy", "true");
  const started = performance.now();
  try {
    const response = await fetch(`/id_card_scan/${endpoint}`, { method: "POST", body: form, headers });
    const body = await response.json();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!body.success && !body.data) {
      setStatus(`${body.error_code}: ${body.message}`, true);
      $("results").replaceChildren();
      return;
    }
    renderResults(endpoint, body);
    const data = body.data || {};
    setStatus(`${body.message} · ${data.processed_count ?? 0} read, ${data.error_count ?? 0} failed · ${seconds} s`, !body.success);
  } catch (error) {
    setStatus(`Request failed: ${error}`, true);
  } finally {
    document.body.removeAttribute("aria-busy");
  }
}

function renderResults(endpoint, body) {
  const results = (body.data && body.data.results) || [];
  const sections = results.map((result, index) => renderResult(endpoint, result, state.files[index]));
  const raw = el("details", { class: "result" }, el("summary", {}, "Raw JSON"),
    el("pre", { id: "raw-json" }, JSON.stringify(body, null, 2)));
  $("results").replaceChildren(...sections, raw);
}

function renderResult(endpoint, result, file) {
  const section = el("article", { class: "result", "aria-label": `Result for ${result.filename}` });
  section.append(el("h3", {}, result.filename));
  if (result.error_code) {
    section.append(el("p", { class: "error-box" }, `${result.error_code}: ${result.message}`));
    return section;
  }
  const lines = result.ocr_data || [];
  const figure = el("div", { class: "figure" });
  const image = el("img", { alt: `Uploaded image ${result.filename}` });
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("aria-label", `${lines.length} text boxes`);
  svg.setAttribute("role", "img");
  figure.append(image, svg);
  const list = el("ol", { class: "lines", "aria-label": "Text lines in reading order" });
  image.addEventListener("load", () => {
    svg.setAttribute("viewBox", `0 0 ${image.naturalWidth} ${image.naturalHeight}`);
    svg.setAttribute("preserveAspectRatio", "none");
  });
  if (file) image.src = URL.createObjectURL(file);
  lines.forEach((line, i) => {
    const polygon = document.createElementNS(SVG_NS, "polygon");
    polygon.setAttribute("points", line.box.map((p) => p.join(",")).join(" "));
    polygon.dataset.index = String(i);
    const label = `${line.text} (${(line.confidence * 100).toFixed(1)}%)`;
    const title = document.createElementNS(SVG_NS, "title");
    title.textContent = label;
    polygon.append(title);
    const item = el("li", { tabindex: "0" }, line.text, " ",
      el("span", { class: "muted" }, `${(line.confidence * 100).toFixed(1)}%`));
    const on = (event) => { polygon.classList.add("active"); item.classList.add("active"); showTooltip(label, event); };
    const off = () => { polygon.classList.remove("active"); item.classList.remove("active"); hideTooltip(); };
    polygon.addEventListener("mousemove", on);
    polygon.addEventListener("mouseleave", off);
    item.addEventListener("mouseenter", on);
    item.addEventListener("mouseleave", off);
    item.addEventListener("focus", on);
    item.addEventListener("blur", off);
    svg.append(polygon);
    list.append(item);
  });
  const side = el("div");
  if (endpoint === "extract") side.append(renderFields(result));
  side.append(el("h4", {}, "Thời gian / Timings"), renderTimings(result.processing_time, result.llm_usage));
  side.append(el("h4", {}, `Dòng chữ / Lines (${lines.length})`), list);
  section.append(el("div", { class: "result-body" }, figure, side));
  return section;
}

function renderFields(result) {
  const details = result.field_details || {};
  const rows = Object.entries(result.extracted_fields || {}).map(([key, value]) => {
    const detail = details[key] || {};
    const problems = (detail.problems || []).map((p) => el("div", { class: "problem" }, p));
    return el("tr", { "data-field": key },
      el("th", { scope: "row" }, key),
      el("td", {}, value === null ? el("span", { class: "null" }, "—") : value, ...problems),
      el("td", {}, detail.source || "—"),
      el("td", {}, detail.confidence != null ? `${(detail.confidence * 100).toFixed(1)}%` : "—"));
  });
  const table = el("table", { class: "data", id: "fields-result", "aria-label": "Extracted fields" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Field"), el("th", { scope: "col" }, "Value"),
      el("th", { scope: "col" }, "Source"), el("th", { scope: "col" }, "Confidence"))),
    el("tbody", {}, ...rows));
  return el("div", {}, el("h4", {}, "Trường / Fields"), table);
}

function renderTimings(timings = {}, usage) {
  const rows = Object.entries(timings).map(([name, ms]) => el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, `${ms} ms`)));
  if (usage) {
    rows.push(el("tr", {}, el("th", { scope: "row" }, "llm"),
      el("td", {}, `${usage.requests} request(s), ${usage.prompt_tokens} + ${usage.completion_tokens} tokens`)));
  }
  return el("table", { class: "data timings" }, el("tbody", {}, ...rows));
}

function showTooltip(text, event) {
  const tip = $("tooltip");
  tip.textContent = text;
  tip.hidden = false;
  const rect = event && event.clientX !== undefined ? { x: event.clientX, y: event.clientY } : event.target.getBoundingClientRect();
  tip.style.left = `${Math.min(rect.x + 12, window.innerWidth - 330)}px`;
  tip.style.top = `${rect.y + 14}px`;
}

function hideTooltip() { $("tooltip").hidden = true; }

function init() {
  for (const [key, description] of DEFAULT_FIELDS) addFieldRow(key, description);
  $("add-field").addEventListener("click", () => addFieldRow());
  $("file-input").addEventListener("change", (e) => setFiles(e.target.files));
  $("camera-input").addEventListener("change", (e) => setFiles(e.target.files));
  const zone = $("drop-zone");
  zone.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file-input").click(); } });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("dragging"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("dragging"); setFiles(e.dataTransfer.files); });
  $("scan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    run(e.submitter ? e.submitter.dataset.endpoint : "ocr");
  });
}

init();
