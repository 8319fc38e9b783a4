using System.CommandLine;
using Face2Data.Benchmarks.HotPaths;

namespace Face2Data.Benchmarks;

/// <summary>
/// Measurements that justify Face2Data's defaults. Every image is made at run time from the UTKFace archive in
/// <c>../shared</c>; nothing is written to disk.
/// </summary>
internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Face2Data benchmarks: hot paths (BenchmarkDotNet), detection accuracy and speed, crop geometry, explanation time.")
        {
            HotPathsCommand.Create(),
            ImagesCommand.Create(),
            CropGeometryCommand.Create(),
            LandmarksCommand.Create(),
            DetectionBenchmarkCommand.Create(),
            ExplainBenchmarkCommand.Create(),
            ScalarStressCommand.Create(),
            WiderFace.WiderFaceCommand.Create(),
            RealPhotos.RealPhotosCommand.Create(),
            FacesPerPhotoCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
