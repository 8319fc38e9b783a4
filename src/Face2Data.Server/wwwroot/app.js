// Face2Data pages: plain JavaScript, no build step, no third-party code. Every text that comes from the server or
// the model is set with textContent, never parsed as HTML.
"use strict";

const apiKeyStorage = "face2data-api-key";
const maxFrameSide = 640;
const minFrameIntervalMs = 100;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function $(id) {
  return document.getElementById(id);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function formatNumber(value, digits) {
  return Number(value).toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

function percent(p) {
  return `${(p * 100).toFixed(p >= 0.995 || p < 0.1 ? 1 : 0)}%`;
}

// ---- API access ----------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  get title() {
    return this.problem.title || `HTTP ${this.status}`;
  }
}

function apiHeaders() {
  const key = sessionStorage.getItem(apiKeyStorage);
  return key ? { "X-Api-Key": key } : {};
}

function setUpApiKeyField() {
  const field = $("api-key-field");
  const input = $("api-key");
  if (!field || !input) return;
  input.value = sessionStorage.getItem(apiKeyStorage) || "";
  if (input.value) field.classList.remove("hidden");
  input.addEventListener("change", () => sessionStorage.setItem(apiKeyStorage, input.value.trim()));
}

function askForApiKey() {
  const field = $("api-key-field");
  if (field) {
    field.classList.remove("hidden");
    $("api-key").focus();
  }
}

async function readProblem(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

async function getJson(url) {
  const response = await fetch(url, { headers: apiHeaders() });
  if (!response.ok) {
    if (response.status === 401) askForApiKey();
    throw new ApiError(response.status, await readProblem(response));
  }
  return response.json();
}

async function postImage(url, blob, fileName) {
  const form = new FormData();
  form.append("image", blob, fileName || "image");
  const response = await fetch(url, { method: "POST", body: form, headers: apiHeaders() });
  if (!response.ok) {
    if (response.status === 401) askForApiKey();
    const error = new ApiError(response.status, await readProblem(response));
    error.retryAfter = Number(response.headers.get("Retry-After")) || 1;
    throw error;
  }
  return response.json();
}

// ---- shared page parts ---------------------------------------------------------------------------------------

async function showModelLine() {
  const line = $("model-line");
  try {
    const model = await getJson("/v1/model");
    if (line) line.textContent = `Model ${model.name} ${model.version} (${model.architecture}, ${model.input.size}×${model.input.size} input), detector: ${model.detector}.`;
    return model;
  } catch (error) {
    if (line) line.textContent = `Model information unavailable: ${error.message}`;
    return null;
  }
}

async function showCharts(filter) {
  const charts = $("charts");
  const empty = $("charts-empty");
  let files = [];
  try {
    files = (await getJson("/v1/assets")).files.filter((f) => filter(f.name));
  } catch {
    files = [];
  }
  if (files.length === 0) {
    empty.classList.remove("hidden");
    return;
  }
  for (const file of files) {
    const figure = el("figure", "chart");
    const image = el("img");
    image.src = file.url;
    image.alt = file.name;
    image.loading = "lazy";
    image.addEventListener("error", () => figure.remove());
    figure.append(image, el("figcaption", "muted", file.name.replace(/\.[a-z]+$/i, "").replace(/[-_]/g, " ")));
    charts.append(figure);
  }
}

// ---- analyze page --------------------------------------------------------------------------------------------

function faceSummary(face) {
  const parts = [];
  for (const attribute of Object.values(face.attributes)) {
    if (attribute.kind === "regression") {
      const unit = attribute.unit === "years" ? "y" : attribute.unit || "";
      parts.push(`${Math.round(attribute.value)}${unit ? " " + unit : ""}`);
    } else {
      parts.push(attribute.label);
    }
  }
  return parts.join(" · ");
}

function drawBoxes(container, analysis) {
  container.replaceChildren();
  const { width, height } = analysis.image;
  analysis.faces.forEach((face, index) => {
    const box = el("div", face.detected ? "box" : "box whole");
    box.style.left = `${(face.box.x / width) * 100}%`;
    box.style.top = `${(face.box.y / height) * 100}%`;
    box.style.width = `${(face.box.width / width) * 100}%`;
    box.style.height = `${(face.box.height / height) * 100}%`;
    const label = el("span", "box-label", `${index + 1}  ${faceSummary(face)}`);
    if (face.box.y / height < 0.08) label.classList.add("inside");
    box.append(label);
    container.append(box);
    if (face.landmarks) drawLandmarks(container, face.landmarks, width, height, index);
  });
}

// One dot per landmark, placed in percentages of the image like the boxes, so they follow the image's scaling.
function drawLandmarks(container, landmarks, width, height, index) {
  for (const name of ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"]) {
    const point = landmarks[name];
    const dot = el("div", "landmark");
    dot.dataset.face = String(index + 1);
    dot.dataset.point = name;
    dot.title = `${name.replace("_", " ")} (${Math.round(point.x)}, ${Math.round(point.y)})`;
    dot.style.left = `${(point.x / width) * 100}%`;
    dot.style.top = `${(point.y / height) * 100}%`;
    container.append(dot);
  }
}

function attributeView(name, attribute) {
  const section = el("div", "attribute");
  section.dataset.head = name;
  section.append(el("h4", null, name));
  if (attribute.kind === "regression") {
    const value = el("p", "value");
    value.append(el("strong", null, formatNumber(attribute.value, 1)), document.createTextNode(attribute.unit ? ` ${attribute.unit}` : ""));
    section.append(value);
    if (attribute.range) {
      section.append(el("p", "muted", `likely ${formatNumber(attribute.range.low, 0)}–${formatNumber(attribute.range.high, 0)}`));
    }
    return section;
  }
  const bars = el("div", "bars");
  for (const [label, p] of Object.entries(attribute.probabilities)) {
    const row = el("div", label === attribute.label ? "bar-row top" : "bar-row");
    const track = el("div", "bar-track");
    const fill = el("div", "bar-fill");
    fill.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
    track.append(fill);
    row.append(el("span", "bar-label", label), track, el("span", "bar-value", percent(p)));
    bars.append(row);
  }
  section.append(bars);
  return section;
}

function showFaces(container, analysis) {
  container.replaceChildren();
  if (analysis.faces.length === 0) {
    container.append(el("p", "muted", "No face found. Try detection “never” if the image is a face crop."));
    return;
  }
  analysis.faces.forEach((face, index) => {
    const card = el("article", "face-card");
    const title = el("h3", null, `Face ${index + 1}`);
    title.append(el("span", "muted", face.detected ? ` detected${face.detection_score != null ? ` (${formatNumber(face.detection_score, 2)})` : ""}` : " whole image"));
    if (face.landmarks) title.append(el("span", "muted roll", ` · roll ${Math.round(face.landmarks.roll_degrees) || 0}°`));
    card.append(title);
    for (const [name, attribute] of Object.entries(face.attributes)) {
      card.append(attributeView(name, attribute));
    }
    container.append(card);
  });
}

function timingsText(analysis) {
  const t = analysis.timings_ms;
  const faces = analysis.faces.length === 1 ? "1 face" : `${analysis.faces.length} faces`;
  return `${faces} in ${formatNumber(t.total, 0)} ms (decode ${formatNumber(t.decode, 0)}, detect ${formatNumber(t.detect, 0)}, model ${formatNumber(t.infer, 0)}).`;
}

function setStatus(text, isError) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", Boolean(isError));
}

function showError(error) {
  if (error instanceof ApiError) {
    setStatus(`${error.title}: ${error.message}`, true);
  } else {
    setStatus(`The server could not be reached: ${error.message}`, true);
  }
}

function setUpAnalyzePage() {
  const preview = $("preview");
  const video = $("video");
  const boxes = $("boxes");
  const faces = $("faces");
  const result = $("result");
  const detect = $("detect");
  const detector = $("detector");
  // The query of an analysis: the detection mode, and the detector when one is chosen (else the server's).
  const analyzeUrl = () => `/v1/analyze?detect=${encodeURIComponent(detect.value)}`
    + (detector.value ? `&detector=${encodeURIComponent(detector.value)}` : "");
  let previewUrl = null;
  let busy = false;

  async function analyzeFile(file) {
    if (!file || busy) return;
    stopWebcam();
    busy = true;
    setStatus("Analysing…");
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = URL.createObjectURL(file);
    try {
      const analysis = await postImage(analyzeUrl(), file, file.name);
      video.classList.add("hidden");
      preview.classList.remove("hidden");
      preview.src = previewUrl;
      await preview.decode().catch(() => {});
      result.classList.remove("hidden");
      drawBoxes(boxes, analysis);
      showFaces(faces, analysis);
      setStatus(timingsText(analysis));
      document.dispatchEvent(new CustomEvent("face2data:analyzed", { detail: { file, analysis, detect: detect.value, detector: detector.value } }));
    } catch (error) {
      showError(error);
    } finally {
      busy = false;
    }
  }

  const fileInput = $("file-input");
  fileInput.addEventListener("change", () => {
    analyzeFile(fileInput.files[0]);
    fileInput.value = "";
  });
  const dropZone = $("drop-zone");
  dropZone.addEventListener("dragover", (event) => {
    event.preventDefault();
    dropZone.classList.add("dragging");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragging");
    analyzeFile(event.dataTransfer.files[0]);
  });
  document.addEventListener("paste", (event) => {
    const item = [...(event.clipboardData?.items || [])].find((i) => i.type.startsWith("image/"));
    if (item) analyzeFile(item.getAsFile());
  });

  // Webcam: one frame in flight at a time, so the frame rate follows the server's speed (at most 10 per second),
  // and a busy server's Retry-After is honoured.
  let stream = null;
  let running = false;
  const toggle = $("webcam-toggle");
  const rate = $("webcam-rate");
  const canvas = document.createElement("canvas");

  function grabFrame() {
    const scale = Math.min(1, maxFrameSide / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  }

  async function webcamLoop() {
    const finished = [];
    while (running) {
      const started = performance.now();
      try {
        const frame = await grabFrame();
        const analysis = await postImage(analyzeUrl(), frame, "frame.jpg");
        if (!running) break;
        drawBoxes(boxes, analysis);
        showFaces(faces, analysis);
        const now = performance.now();
        finished.push(now);
        if (finished.length > 10) finished.shift();
        const perSecond = finished.length > 1 ? ((finished.length - 1) * 1000) / (now - finished[0]) : 1000 / (now - started);
        rate.textContent = `${formatNumber(perSecond, 1)} frames/s, ${formatNumber(analysis.timings_ms.total, 0)} ms on the server`;
        const elapsed = now - started;
        setStatus("");
        await sleep(Math.max(0, minFrameIntervalMs - elapsed));
      } catch (error) {
        showError(error);
        await sleep(error instanceof ApiError && error.status === 429 ? error.retryAfter * 1000 : 1000);
        if (error instanceof ApiError && error.status === 401) stopWebcam();
      }
    }
  }

  async function startWebcam() {
    if (!navigator.mediaDevices?.getUserMedia) {
      setStatus("This browser offers no webcam access here (it needs https or localhost).", true);
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
    } catch (error) {
      setStatus(`The webcam could not be opened: ${error.message}`, true);
      return;
    }
    video.srcObject = stream;
    await video.play();
    preview.classList.add("hidden");
    video.classList.remove("hidden");
    result.classList.remove("hidden");
    boxes.replaceChildren();
    toggle.textContent = "Stop webcam";
    running = true;
    webcamLoop();
  }

  function stopWebcam() {
    running = false;
    if (stream) {
      stream.getTracks().forEach((track) => track.stop());
      stream = null;
    }
    video.srcObject = null;
    toggle.textContent = "Start webcam";
    rate.textContent = "";
  }

  toggle.addEventListener("click", () => (running ? stopWebcam() : startWebcam()));

  const photoTab = $("mode-photo");
  const webcamTab = $("mode-webcam");
  function selectMode(webcam) {
    photoTab.classList.toggle("active", !webcam);
    webcamTab.classList.toggle("active", webcam);
    photoTab.setAttribute("aria-selected", String(!webcam));
    webcamTab.setAttribute("aria-selected", String(webcam));
    $("photo-panel").classList.toggle("hidden", webcam);
    $("webcam-panel").classList.toggle("hidden", !webcam);
    if (!webcam) stopWebcam();
  }
  photoTab.addEventListener("click", () => selectMode(false));
  webcamTab.addEventListener("click", () => selectMode(true));
}

// ---- how it works ------------------------------------------------------------------------------------------

function showModelCard(model) {
  const card = $("card");
  card.replaceChildren();
  const rows = [
    ["Name", `${model.name} ${model.version}`],
    ["Architecture", model.architecture],
    ["Input", `${model.input.size}×${model.input.size} RGB, ${model.input.resize} resize, mean ${model.input.mean.join("/")}, std ${model.input.std.join("/")}`],
    ["Face crop", `${model.input.crop_scale}× the detector box, shifted ${model.input.crop_shift_y} of its side`],
    ["Face detector", model.detector],
    ["Training data", model.training_data || "not recorded"],
    ["License", model.license || "not recorded"],
    ["Exported", new Date(model.created_utc).toISOString().slice(0, 10)],
  ];
  for (const [name, value] of rows) {
    card.append(el("dt", null, name), el("dd", null, value));
  }

  const heads = $("heads").querySelector("tbody");
  for (const head of model.heads) {
    const detail = head.kind === "categorical" ? head.classes.join(", ") : `${head.min}–${head.max}${head.unit ? " " + head.unit : ""}`;
    const row = el("tr");
    row.append(el("td", null, head.name), el("td", null, head.kind), el("td", null, detail));
    heads.append(row);
  }

  const metrics = Object.entries(model.metrics);
  if (metrics.length === 0) {
    $("metrics").classList.add("hidden");
    $("metrics-empty").classList.remove("hidden");
  }
  const body = $("metrics").querySelector("tbody");
  for (const [name, value] of metrics) {
    const row = el("tr");
    row.append(el("td", null, name), el("td", "number", formatNumber(value, 4)));
    body.append(row);
  }
  $("limitations").textContent = model.limitations;
}

async function setUpHowPage() {
  const model = await showModelLine();
  if (model) showModelCard(model);
  else $("card").replaceChildren(el("dt", null, "The model card could not be loaded."));
  await showCharts((name) => !name.toLowerCase().startsWith("dataset"));
}

// ---- dataset -----------------------------------------------------------------------------------------------

function distributionView(head) {
  const figure = el("figure", "distribution");
  const max = Math.max(1, ...head.bins.map((b) => b.count));
  const total = head.bins.reduce((sum, b) => sum + b.count, 0);
  figure.append(el("figcaption", null, `${head.name} (${head.kind === "regression" ? "value ranges" : "classes"})`));
  const bars = el("div", "bars");
  for (const bin of head.bins) {
    const row = el("div", "bar-row");
    const track = el("div", "bar-track");
    const fill = el("div", "bar-fill");
    fill.style.width = `${(bin.count / max) * 100}%`;
    track.append(fill);
    row.append(el("span", "bar-label", bin.label), track, el("span", "bar-value", `${formatNumber(bin.count, 0)} (${percent(total ? bin.count / total : 0)})`));
    bars.append(row);
  }
  figure.append(bars);
  if (head.unknown > 0) figure.append(el("p", "muted", `${formatNumber(head.unknown, 0)} without this label`));
  return figure;
}

async function setUpDatasetPage() {
  const model = await showModelLine();
  if (model) $("training-data").textContent = `The served model was trained on: ${model.training_data || "not recorded"}.`;
  try {
    const dataset = await getJson("/v1/dataset");
    const container = $("distributions");
    container.append(el("p", null, `${dataset.name}: ${formatNumber(dataset.samples, 0)} labelled images.`));
    for (const head of dataset.heads) container.append(distributionView(head));
  } catch {
    $("dataset-empty").classList.remove("hidden");
  }
  await showCharts((name) => name.toLowerCase().startsWith("dataset"));
}

// ---- API explorer ------------------------------------------------------------------------------------------

function operationView(path, method, operation) {
  const card = el("details", "operation");
  const summary = el("summary");
  summary.append(el("span", `method ${method}`, method.toUpperCase()), el("code", "path", path), el("span", "muted", operation.summary || ""));
  card.append(summary);
  if (operation.description) card.append(el("p", null, operation.description));

  const form = el("form", "try-form");
  const inputs = [];
  for (const parameter of operation.parameters || []) {
    if (parameter.in !== "query") continue;
    const label = el("label", "option", parameter.name);
    const input = el("input");
    input.name = parameter.name;
    input.placeholder = parameter.schema?.enum ? parameter.schema.enum.join(" | ") : parameter.schema?.type || "";
    if (parameter.description) label.title = parameter.description;
    label.append(input);
    form.append(label);
    inputs.push(input);
  }

  const multipart = operation.requestBody?.content?.["multipart/form-data"]?.schema;
  let files = null;
  if (multipart) {
    const [field, schema] = Object.entries(multipart.properties || { image: {} })[0];
    files = el("input");
    files.type = "file";
    files.accept = "image/*";
    files.multiple = schema.type === "array";
    files.dataset.field = field;
    const label = el("label", "option", `${field} (file${files.multiple ? "s" : ""})`);
    label.append(files);
    form.append(label);
  }

  const send = el("button", null, "Send");
  send.type = "submit";
  form.append(send);
  const output = el("pre", "response hidden");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const input of inputs) if (input.value) query.set(input.name, input.value);
    const url = path + (query.toString() ? `?${query}` : "");
    const init = { method: method.toUpperCase(), headers: apiHeaders() };
    if (files) {
      const body = new FormData();
      for (const file of files.files) body.append(files.dataset.field, file, file.name);
      init.body = body;
    }
    output.classList.remove("hidden");
    output.textContent = "…";
    try {
      const response = await fetch(url, init);
      if (response.status === 401) askForApiKey();
      const text = await response.text();
      let shown = text;
      try {
        shown = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // not JSON: shown as is
      }
      output.textContent = `${response.status} ${response.statusText}\n\n${shown}`;
    } catch (error) {
      output.textContent = `The request failed: ${error.message}`;
    }
  });
  card.append(form);

  const responses = el("p", "muted", `Responses: ${Object.keys(operation.responses || {}).join(", ")}`);
  card.append(responses, output);
  return card;
}

async function setUpApiPage() {
  showModelLine();
  const container = $("operations");
  try {
    const document = await getJson("/openapi/v1.json");
    $("api-title").textContent = `${document.info.title} ${document.info.version}`;
    $("api-description").textContent = document.info.description || "";
    container.replaceChildren();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of ["get", "post", "put", "delete"]) {
        if (item[method]) container.append(operationView(path, method, item[method]));
      }
    }
  } catch (error) {
    container.replaceChildren(el("p", "error", `The API description could not be loaded: ${error.message}`));
  }
}

// ---- start -------------------------------------------------------------------------------------------------

setUpApiKeyField();
switch (document.body.dataset.page) {
  case "analyze":
    setUpAnalyzePage();
    showModelLine();
    break;
  case "how":
    setUpHowPage();
    break;
  case "dataset":
    setUpDatasetPage();
    break;
  case "api":
    setUpApiPage();
    break;
}
