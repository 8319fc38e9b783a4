# Face2Data server: REST API and web page (docs/docker.md).
#   docker build -t face2data .
#   docker run --rm -p 8080:8080 -v "$PWD/model.onnx:/models/model.onnx:ro" -e Server__ModelPath=/models/model.onnx face2data
# .NET 10 images are Ubuntu 24.04 ("noble"); Microsoft ships no Debian images for .NET 10.

# ---- build: restore and publish the server only (Face2Data + Server; no Training, so no libtorch) ----
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/Face2Data/Face2Data.csproj src/Face2Data/
COPY src/Face2Data.Models/Face2Data.Models.csproj src/Face2Data.Models/
COPY src/Face2Data.Server/Face2Data.Server.csproj src/Face2Data.Server/
RUN dotnet restore src/Face2Data.Server/Face2Data.Server.csproj
# The pretrained face detectors and the landmark network (MIT / Apache-2.0, about 11 MB) are baked in, so every
# Server__Detector works and faces get landmarks; the attribute model (non-commercial data) is not.
COPY models/tiny_face_detector.onnx models/face_landmark_68.onnx models/blazeface_back.onnx models/blazeface_full_range.onnx \
     models/blazeface_short_range.onnx models/ssd_mobilenetv1.onnx models/THIRD-PARTY.md models/
COPY src/Face2Data/ src/Face2Data/
COPY src/Face2Data.Models/ src/Face2Data.Models/
COPY src/Face2Data.Server/ src/Face2Data.Server/
RUN dotnet publish src/Face2Data.Server/Face2Data.Server.csproj -c Release --no-restore -o /app \
    && mkdir -p /app/models

# ---- runtime: ASP.NET Core runtime, OpenCV's shared libraries, non-root ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
# The libraries OpenCvSharp's official linux-x64 runtime links against (build/setup-system.sh lists them for Debian;
# these are Ubuntu 24.04's names), and OpenCV's Haar cascades for face detection.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libgtk-3-0t64 libharfbuzz0b libfreetype6 libdrm2 libatomic1 libx11-6 opencv-data \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# No model is baked in: mount one and set Server__ModelPath, or derive an image that copies one to
# /app/models/face2data.onnx, the bundled-model path the server uses when Server__ModelPath is empty.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1
EXPOSE 8080
# The image's unprivileged user (UID 1654); nothing in /app is writable by it.
USER $APP_UID
ENTRYPOINT ["dotnet", "Face2Data.Server.dll"]
