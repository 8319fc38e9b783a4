using Face2Data.Detection;

namespace Face2Data.Server;

/// <summary>
/// Names a face detector the server can use (<see cref="ServerOptions.Detector"/>). Register one with
/// <see cref="Face2DataServiceCollectionExtensions.AddFaceDetector"/>, which also registers the detector itself as a
/// keyed <see cref="IFaceDetector"/> singleton.
/// </summary>
/// <param name="Name">Lower-case name, such as <c>haar</c>.</param>
public sealed record DetectorRegistration(string Name);
