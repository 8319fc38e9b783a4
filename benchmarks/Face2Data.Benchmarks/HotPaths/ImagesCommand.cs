using System.CommandLine;

namespace Face2Data.Benchmarks.HotPaths;

/// <summary>
/// <c>face2data-bench images --out DIR</c>: writes the hot-path test images (<see cref="HotPathImages"/>) as
/// <c>face.jpg</c> and <c>photo.jpg</c>, for <c>face2data bench serve --image</c>. They hold UTKFace pixels
/// (non-commercial licence): write them outside the repository and never commit them.
/// </summary>
internal static class ImagesCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "UTKFace folder or .tar.gz", DefaultValueFactory = _ => BenchmarkPaths.DefaultDataset() };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write face.jpg and photo.jpg to (outside the repository)", Required = true };
        var command = new Command("images", "Write the benchmark images (a 200x200 face JPEG, a 1280x720 photo with 3 faces) for `face2data bench serve`.") { data, output };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(output)!;
            folder.Create();
            var images = HotPathImages.Load(parse.GetValue(data)!);
            var face = Path.Combine(folder.FullName, "face.jpg");
            var photo = Path.Combine(folder.FullName, "photo.jpg");
            File.WriteAllBytes(face, images.FaceJpeg);
            File.WriteAllBytes(photo, images.PhotoJpeg);
            Console.WriteLine($"{face} ({images.FaceJpeg.Length:N0} bytes), {photo} ({images.PhotoJpeg.Length:N0} bytes, {HotPathImages.PhotoWidth}x{HotPathImages.PhotoHeight}, {HotPathImages.PhotoFaces.Count} faces)");
            return 0;
        });
        return command;
    }
}
