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
        // A data: URL (the page's policy allows data: images, not blob:).
        var reader = new FileReader();
        reader.onload = function () {
          var img = document.createElement("img");
          img.src = reader.result;
          img.alt = file.name;
          box.appendChild(img);
        };
        reader.readAsDataURL(file);
      });
    });
  });
})();
