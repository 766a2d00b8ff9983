// « Copier le texte SMS »: the button shows only where the clipboard can be written; without
// JavaScript the text stays on the page, ready to select.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const text = document.getElementById(button.dataset.copy);
  if (!text || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(text.textContent.trim()).then(() => {
      button.textContent = button.dataset.done;
    });
  });
});
