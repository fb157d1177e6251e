// Photo preview on the product form: thumbnails of the chosen files before upload. Without
// JavaScript the form works the same, only without the preview.
(function () {
  document.querySelectorAll("input[type=file][data-preview]").forEach(function (input) {
    var box = document.getElementById(input.dataset.preview);
    if (!box) return;
    input.addEventListener("change", function () {
      box.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        if (!/^image\//.test(file.type)) return;
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        img.className = "mini-thumb";
        img.onload = function () { URL.revokeObjectURL(img.src); };
        box.appendChild(img);
      });
    });
  });
})();
