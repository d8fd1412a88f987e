// The printable page's button (no inline script: the site's CSP forbids it).
document.getElementById("print-button")?.addEventListener("click", () => window.print());
