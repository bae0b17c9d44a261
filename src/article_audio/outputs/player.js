"use strict";
(() => {
  const audio = document.getElementById("audio");
  const transcript = document.getElementById("transcript");
  const follow = document.getElementById("follow");
  if (!(audio instanceof HTMLMediaElement)) return;
  const cues = Array.from(document.querySelectorAll(".cue"));
  const chapters = Array.from(document.querySelectorAll(".chapter"));
  const startOf = (el) => Number.parseFloat(el.dataset.start || "0") || 0;
  const endOf = (el) => Number.parseFloat(el.dataset.end || "0") || 0;
  const cueStarts = cues.map(startOf);
  const cueEnds = cues.map(endOf);
  const chapterStarts = chapters.map(startOf);
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const EPSILON = 0.01; // seconds: a seek to a start may land a hair before it
  const IDLE_MS = 4000; // no auto-scroll this long after the reader scrolls, clicks or types
  let currentCue = -1;
  let currentChapter = -1;
  let tabStop = cues.length ? 0 : -1;
  let lastInteraction = -Infinity;
  let frame = 0;

  /** Index of the last start at or before `time` (binary search), or -1. */
  function indexAt(starts, time) {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= time + EPSILON) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  /** The sentence to highlight at `time`: the one being spoken, or in a pause the one just
   *  spoken, unless a chapter has begun since (a chapter starts in the pause before it). */
  function cueAt(time, chapter) {
    const index = indexAt(cueStarts, time);
    if (index < 0 || time < cueEnds[index] || chapter < 0) return index;
    return chapterStarts[chapter] > cueStarts[index] ? -1 : index;
  }

  /** Moves the "current" mark (class and aria-current) from one item of `items` to another. */
  function mark(items, from, to) {
    if (from === to) return;
    if (from >= 0) {
      items[from].classList.remove("is-current");
      items[from].removeAttribute("aria-current");
    }
    if (to >= 0) {
      items[to].classList.add("is-current");
      items[to].setAttribute("aria-current", "true");
    }
  }

  /** Makes sentence `index` the transcript's single Tab stop (roving tabindex). */
  function setTabStop(index) {
    if (index < 0 || index === tabStop) return;
    if (tabStop >= 0) cues[tabStop].tabIndex = -1;
    cues[index].tabIndex = 0;
    tabStop = index;
  }

  const focusInTranscript = () =>
    transcript !== null && transcript.contains(document.activeElement);

  /** Brings the highlighted sentence into view, unless the reader is busy or opted out. */
  function reveal(el) {
    if (follow instanceof HTMLInputElement && !follow.checked) return;
    if (audio.paused || performance.now() - lastInteraction < IDLE_MS) return;
    const box = el.getBoundingClientRect();
    const player = document.querySelector(".player");
    const top = player ? player.getBoundingClientRect().bottom : 0;
    if (box.top >= top + 16 && box.bottom <= window.innerHeight - 48) return;
    el.scrollIntoView({ block: "center", behavior: reducedMotion.matches ? "auto" : "smooth" });
  }

  /** Highlights the sentence and chapter at `time` (default: the audio's position). */
  function sync(time) {
    const t = time === undefined ? audio.currentTime : time;
    const chapter = indexAt(chapterStarts, t);
    const cue = cueAt(t, chapter);
    mark(chapters, currentChapter, chapter);
    currentChapter = chapter;
    if (cue === currentCue) return;
    mark(cues, currentCue, cue);
    currentCue = cue;
    if (cue < 0) return;
    if (!focusInTranscript()) setTabStop(cue);
    reveal(cues[cue]);
  }

  /** Jumps to `time` (seconds); playing goes on playing, paused stays paused. */
  function seek(time) {
    audio.currentTime = time;
    sync(time);
  }

  function tick() {
    sync();
    frame = audio.paused ? 0 : window.requestAnimationFrame(tick);
  }

  audio.addEventListener("timeupdate", () => sync());
  audio.addEventListener("seeking", () => sync());
  audio.addEventListener("seeked", () => sync());
  audio.addEventListener("play", () => {
    if (!frame) frame = window.requestAnimationFrame(tick);
  });

  for (const type of ["pointerdown", "wheel", "touchstart", "keydown"]) {
    window.addEventListener(type, () => { lastInteraction = performance.now(); },
      { capture: true, passive: true });
  }

  for (const button of chapters) {
    button.addEventListener("click", () => seek(startOf(button)));
  }

  if (transcript !== null) {
    transcript.addEventListener("click", (event) => {
      const el = event.target instanceof Element ? event.target.closest(".cue") : null;
      if (el === null) return;
      const selection = window.getSelection();
      if (selection !== null && !selection.isCollapsed) return; // the reader is selecting text
      setTabStop(cues.indexOf(el));
      seek(startOf(el));
    });
    transcript.addEventListener("keydown", (event) => {
      const el = event.target instanceof Element ? event.target.closest(".cue") : null;
      if (el === null || event.altKey || event.ctrlKey || event.metaKey) return;
      const index = cues.indexOf(el);
      let next = -1;
      switch (event.key) {
        case "Enter":
        case " ":
          event.preventDefault();
          seek(startOf(el));
          return;
        case "ArrowDown": case "ArrowRight": next = Math.min(index + 1, cues.length - 1); break;
        case "ArrowUp": case "ArrowLeft": next = Math.max(index - 1, 0); break;
        case "Home": next = 0; break;
        case "End": next = cues.length - 1; break;
        default: return;
      }
      event.preventDefault();
      setTabStop(next);
      cues[next].focus();
    });
  }

  sync();
})();
