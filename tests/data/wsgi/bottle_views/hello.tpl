<!doctype html>
<html><head><title>Hello {{name}}</title></head>
<body>
<h1>Hello {{name}}!</h1>
<ul>
% for i, item in enumerate(items, 1):
  <li>{{i}}. {{item}}</li>
% end
</ul>
</body></html>
