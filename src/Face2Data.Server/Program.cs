// `dotnet run --project src/Face2Data.Server`: the table of contents is Face2DataServer.Build, shared with `face2data serve`.
using Face2Data.Server;

await Face2DataServer.Build(args).RunAsync();
