// Explain toggles on the analyze page: each attribute of each face card gets an "Explain" button that asks
// /v1/explain for that head and face and shows the heatmap under it. Loaded after app.js, whose helpers it uses
// (el, apiHeaders, askForApiKey, readProblem, ApiError, formatNumber); app.js announces each photo it analyses
// with a "face2data:analyzed" event. Server and model texts are set with textContent only.
"use strict";

(function setUpExplain() {
  if (document.body.dataset.page !== "analyze") return;

  const methodSelect = addMethodSelect();

  document.addEventListener("face2data:analyzed", (event) => {
    // The explanation finds the faces as the analysis did (same detection mode and detector), so face N is the same face.
    const { file, detect, detector } = event.detail;
    document.querySelectorAll("#faces .face-card").forEach((card, index) => {
      card.querySelectorAll(".attribute[data-head]").forEach((section) => addToggle(section, file, { detect, detector }, index + 1));
    });
  });

  function addMethodSelect() {
    const controls = document.querySelector(".controls");
    const label = el("label", "option", "Explain with");
    const select = el("select");
    select.id = "explain-method";
    for (const [value, text] of [["occlusion", "occlusion (fast)"], ["shap", "SHAP estimate"]]) {
      const option = el("option", null, text);
      option.value = value;
      select.append(option);
    }
    label.append(select);
    if (controls) controls.append(label);
    return select;
  }

  function addToggle(section, file, finding, faceNumber) {
    const head = section.dataset.head;
    const button = el("button", "explain-toggle", "Explain");
    button.type = "button";
    button.setAttribute("aria-pressed", "false");
    button.title = `Which regions of face ${faceNumber} pushed the ${head} answer`;
    const view = el("figure", "explain-view hidden");
    section.querySelector("h4").append(button);
    section.append(view);
    let shownMethod = null;

    button.addEventListener("click", async () => {
      if (button.getAttribute("aria-pressed") === "true") {
        button.setAttribute("aria-pressed", "false");
        view.classList.add("hidden");
        return;
      }
      button.setAttribute("aria-pressed", "true");
      view.classList.remove("hidden");
      const method = methodSelect.value;
      if (shownMethod === method) return;
      view.replaceChildren(el("figcaption", "muted", "Explaining…"));
      button.disabled = true;
      try {
        const result = await requestExplanation(file, head, faceNumber, finding, method);
        showExplanation(view, result.explanations[0]);
        shownMethod = method;
      } catch (error) {
        const message = error instanceof ApiError ? `${error.title}: ${error.message}` : `The server could not be reached: ${error.message}`;
        view.replaceChildren(el("figcaption", "error", message));
        shownMethod = null;
      } finally {
        button.disabled = false;
      }
    });
  }

  async function requestExplanation(file, head, faceNumber, finding, method) {
    const form = new FormData();
    form.append("image", file, file.name || "image");
    const query = new URLSearchParams({ head, face: String(faceNumber), detect: finding.detect, method });
    if (finding.detector) query.set("detector", finding.detector);
    const response = await fetch(`/v1/explain?${query}`, { method: "POST", body: form, headers: apiHeaders() });
    if (!response.ok) {
      if (response.status === 401) askForApiKey();
      throw new ApiError(response.status, await readProblem(response));
    }
    return response.json();
  }

  function showExplanation(view, explanation) {
    const image = el("img", "explain-overlay");
    image.src = `data:image/png;base64,${explanation.overlay_png}`;
    const target = explanation.kind === "regression" ? `a higher ${explanation.head}` : `“${explanation.class}”`;
    image.alt = `Heatmap of the regions that pushed the model towards ${target}`;
    const method = explanation.method === "shap" ? `SHAP estimate (${explanation.samples} samples)` : "occlusion";
    const baseline = explanation.baseline === "blur" ? "blurred" : "replaced by its mean colour";
    const caption = el("figcaption", "muted",
      `Red: regions that pushed towards ${target}; blue: regions that pushed away. ${method}, ${explanation.grid_size}×${explanation.grid_size} grid: `
      + `${formatNumber(explanation.output, 3)} for the face, ${formatNumber(explanation.baseline_output, 3)} with all of it ${baseline}; `
      + `${explanation.evaluations} model runs in ${formatNumber(explanation.elapsed_ms, 0)} ms.`);
    view.replaceChildren(image, caption);
  }
})();
