// The page the window shows until the real GUI (renderer/) arrives in a later issue.

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Strata</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 3rem; color: #222; background: #fafafa; }
  code { background: #eee; padding: 0 .25em; }
</style>
</head>
<body>
<h1>Strata</h1>
<p>The desktop interface is not built yet; it arrives with a later release.</p>
<p>Meanwhile use the command line: <code>npx strata --help</code>.</p>
</body>
</html>`;

export const placeholderPageUrl = `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
