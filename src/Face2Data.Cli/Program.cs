namespace Face2Data.Cli; internal static class Program { private static int Main() => 0; }
