// MSBuild task (compiled by RoslynCodeTaskFactory from build/LibTorchSharpCompat.targets) that makes one copy of
// TorchSharp's libLibTorchSharp.so load with a libstdc++ older than GCC 13 (Debian 12, Ubuntu 22.04).
// Why and how: docs/libtorch-on-debian12.md. ELF layouts used here: Elf64_Ehdr, Elf64_Shdr, Elf64_Sym,
// Elf64_Dyn (System V gABI) and Elf64_Verneed/Vernaux/Verdef/Verdaux (LSB "Symbol Versioning").
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchLibTorchSharp : Task
{
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const string MissingSymbol = "_ZSt21ios_base_library_initv"; // std::ios_base_library_init()
    private const string ShimName = "libios_base_library_init.so";

    /// <summary>The copy of libLibTorchSharp.so to patch in place (never the one in the NuGet cache).</summary>
    [Required]
    public string Library { get; set; } = "";

    /// <summary>C++ source of the shim that defines the missing symbol.</summary>
    [Required]
    public string ShimSource { get; set; } = "";

    public override bool Execute()
    {
        try
        {
            Run();
        }
        catch (CompatException e)
        {
            Log.LogError("LibTorchSharpCompat: " + e.Message);
        }
        return !Log.HasLoggedErrors;
    }

    private void Run()
    {
        if (!File.Exists(Library))
            throw new CompatException(Library + " does not exist.");

        string libstdcxx = FindSystemLibStdCxx();
        if (libstdcxx != null && new Elf(File.ReadAllBytes(libstdcxx)).DefinedVersions().Contains(MissingVersion))
        {
            Log.LogMessage(MessageImportance.Low, "LibTorchSharpCompat: {0} provides {1}; {2} needs no patch.", libstdcxx, MissingVersion, Library);
            return;
        }

        var state = new PatchState(new Elf(File.ReadAllBytes(Library)));
        if (!state.NeedsMissingVersion)
        {
            Log.LogMessage(MessageImportance.Low, "LibTorchSharpCompat: {0} does not need {1}; nothing to do.", Library, MissingVersion);
            return;
        }

        if (state.IsPatched)
        {
            PlaceShim();
            Log.LogMessage(MessageImportance.Low, "LibTorchSharpCompat: {0} is already patched.", Library);
            return;
        }

        string[] missingTools = new[] { "g++", "patchelf" }.Where(t => FindOnPath(t) == null).ToArray();
        if (missingTools.Length > 0)
            throw MissingTools(missingTools);
        PlaceShim();

        // Patch a temporary copy and rename it over the library: an interrupted build never leaves a half-patched
        // file, and a hard- or symlinked copy is replaced rather than written through (the NuGet cache stays intact).
        // File.Copy keeps the file mode.
        string temp = Library + ".compat.tmp";
        File.Copy(Library, temp, overwrite: true);
        try
        {
            var elf = new Elf(File.ReadAllBytes(temp));
            new PatchState(elf).ApplyInPlaceEdits();
            File.WriteAllBytes(temp, elf.Bytes);

            // Adding DT_NEEDED / DT_RUNPATH entries means growing .dynamic and .dynstr, which patchelf does well.
            var patched = new PatchState(elf);
            if (!patched.HasOriginRunPath)
                RunTool("patchelf", "--add-rpath $ORIGIN \"" + temp + "\"");
            if (!patched.NeedsShim)
                RunTool("patchelf", "--add-needed " + ShimName + " \"" + temp + "\"");

            if (!new PatchState(new Elf(File.ReadAllBytes(temp))).IsPatched)
                throw new CompatException("patching " + Library + " did not give the expected result; see docs/libtorch-on-debian12.md.");
            File.Replace(temp, Library, null);
        }
        finally
        {
            File.Delete(temp);
        }
        Log.LogMessage(MessageImportance.Normal, "LibTorchSharpCompat: patched {0} for a libstdc++ without {1}.", Library, MissingVersion);
    }

    // Compiles the shim beside the library, where the library's $ORIGIN RUNPATH finds it.
    private void PlaceShim()
    {
        string shim = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Library)), ShimName);
        if (File.Exists(shim) && File.GetLastWriteTimeUtc(shim) >= File.GetLastWriteTimeUtc(ShimSource))
            return;
        string temp = shim + ".tmp";
        RunTool("g++", "-shared -fPIC -O2 -Wl,-soname," + ShimName + " -o \"" + temp + "\" \"" + ShimSource + "\"");
        File.Copy(temp, shim, overwrite: true);
        File.Delete(temp);
    }

    private void RunTool(string tool, string arguments)
    {
        string path = FindOnPath(tool);
        if (path == null)
            throw MissingTools(new[] { tool });
        var start = new ProcessStartInfo(path, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using (var process = Process.Start(start))
        {
            var errors = process.StandardError.ReadToEndAsync(); // read both pipes at once so neither can fill up
            string output = process.StandardOutput.ReadToEnd() + errors.Result;
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new CompatException(tool + " " + arguments + " failed with exit code " + process.ExitCode + ": " + output.Trim());
        }
    }

    private static CompatException MissingTools(string[] tools) => new CompatException(
        string.Join(" and ", tools) + (tools.Length > 1 ? " are" : " is") + " required to make TorchSharp's libLibTorchSharp.so load with this "
        + "system's libstdc++, which lacks " + MissingVersion + ". Install with build/setup-system.sh (or apt-get install g++ patchelf); "
        + "see docs/libtorch-on-debian12.md.");

    private static string FindOnPath(string tool)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':').Where(d => d.Length > 0).Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
    }

    // The libstdc++ the dynamic loader picks: first match for this architecture in `ldconfig -p`, else a standard path.
    private static string FindSystemLibStdCxx()
    {
        string arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "AArch64" : "x86-64";
        string ldconfig = FindOnPath("ldconfig") ?? new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" }.FirstOrDefault(File.Exists);
        if (ldconfig != null)
        {
            var start = new ProcessStartInfo(ldconfig, "-p") { UseShellExecute = false, RedirectStandardOutput = true };
            using (var process = Process.Start(start))
            {
                string cache = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                // Lines look like: "\tlibstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6"
                string found = cache.Split('\n')
                    .Where(l => l.TrimStart().StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && l.Contains(arch))
                    .Select(l => l.Substring(l.IndexOf("=> ", StringComparison.Ordinal) + 3).Trim())
                    .FirstOrDefault(File.Exists);
                if (found != null)
                    return found;
            }
        }
        string[] standard = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib" };
        return standard.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    private sealed class CompatException : Exception
    {
        public CompatException(string message) : base(message) { }
    }

    // The three edits of the fix and whether each is already done, read from the ELF itself so patching is idempotent.
    private sealed class PatchState
    {
        private const ushort VerFlagWeak = 0x2;      // VER_FLG_WEAK in Elf64_Vernaux.vna_flags
        private const ushort VersionGlobal = 1;      // VER_NDX_GLOBAL in .gnu.version: "unversioned"
        private const long DtNeeded = 1, DtRPath = 15, DtRunPath = 29;

        private readonly Elf _elf;
        private readonly int _vernauxOffset = -1;        // the Elf64_Vernaux naming GLIBCXX_3.4.32
        private readonly List<int> _versymOffsets = new List<int>(); // .gnu.version entries pointing at it

        public PatchState(Elf elf)
        {
            _elf = elf;
            Elf.Section dynsym = elf.FindSection(Elf.ShtDynSym);
            Elf.Section versym = elf.FindSection(Elf.ShtGnuVerSym);
            Elf.Section verneed = elf.FindSection(Elf.ShtGnuVerNeed);
            if (dynsym == null || versym == null || verneed == null)
                return;

            // .gnu.version_r: a chain of Elf64_Verneed (vn_cnt u16 @2, vn_aux u32 @8, vn_next u32 @12), one per
            // needed library, each with a chain of Elf64_Vernaux (vna_flags u16 @4, vna_other u16 @6,
            // vna_name u32 @8, vna_next u32 @12). vna_other is the index that .gnu.version entries use.
            int versionIndex = -1;
            for (int need = (int)verneed.Offset, n = 0; n < verneed.Info; n++)
            {
                for (int aux = need + (int)elf.U32(need + 8), a = 0; a < elf.U16(need + 2); a++)
                {
                    if (elf.String(verneed.Link, elf.U32(aux + 8)) == MissingVersion)
                    {
                        _vernauxOffset = aux;
                        versionIndex = elf.U16(aux + 6);
                    }
                    aux += (int)elf.U32(aux + 12);
                }
                need += (int)elf.U32(need + 12);
            }
            if (versionIndex < 0)
                return;

            // .gnu.version holds one u16 per .dynsym entry (Elf64_Sym, 24 bytes, st_name u32 @0); bit 15 is "hidden".
            for (int i = 0; i < (int)(dynsym.Size / 24); i++)
            {
                int entry = (int)versym.Offset + 2 * i;
                if ((elf.U16(entry) & 0x7fff) != versionIndex)
                    continue;
                string name = elf.String(dynsym.Link, elf.U32((int)dynsym.Offset + 24 * i));
                if (name != MissingSymbol)
                    throw new CompatException(name + " also needs " + MissingVersion + "; the shim only provides " + MissingSymbol + ".");
                _versymOffsets.Add(entry);
            }
        }

        public bool NeedsMissingVersion => _vernauxOffset >= 0;

        public bool IsPatched => IsWeak && _versymOffsets.Count == 0 && NeedsShim && HasOriginRunPath;

        private bool IsWeak => (_elf.U16(_vernauxOffset + 4) & VerFlagWeak) != 0;

        public bool NeedsShim => DynamicStrings(DtNeeded).Contains(ShimName);

        public bool HasOriginRunPath => DynamicStrings(DtRunPath).Concat(DynamicStrings(DtRPath))
            .SelectMany(p => p.Split(':')).Any(p => p == "$ORIGIN" || p == "$ORIGIN/");

        // (a) A weak version need makes the loader accept a libstdc++ without GLIBCXX_3.4.32 instead of refusing to
        // load; (b) the one symbol that asked for that version becomes unversioned, so the loader binds it to the
        // first definition it finds, which is the shim's (or GCC 13's libstdc++'s, when present).
        public void ApplyInPlaceEdits()
        {
            _elf.SetU16(_vernauxOffset + 4, (ushort)(_elf.U16(_vernauxOffset + 4) | VerFlagWeak));
            foreach (int entry in _versymOffsets)
                _elf.SetU16(entry, VersionGlobal);
        }

        // .dynamic is an array of Elf64_Dyn { i64 d_tag; u64 d_val; } ended by DT_NULL; string values index .dynstr.
        private IEnumerable<string> DynamicStrings(long tag)
        {
            Elf.Section dynamic = _elf.FindSection(Elf.ShtDynamic);
            for (int at = (int)dynamic.Offset; at < (int)(dynamic.Offset + dynamic.Size) && _elf.U64(at) != 0; at += 16)
            {
                if ((long)_elf.U64(at) == tag)
                    yield return _elf.String(dynamic.Link, (uint)_elf.U64(at + 8));
            }
        }
    }

    // Just enough of a little-endian ELF64 reader: section headers, integers and strings.
    private sealed class Elf
    {
        public const uint ShtDynamic = 6, ShtDynSym = 11, ShtGnuVerDef = 0x6ffffffd, ShtGnuVerNeed = 0x6ffffffe, ShtGnuVerSym = 0x6fffffff;

        private readonly List<Section> _sections = new List<Section>();

        public Elf(byte[] bytes)
        {
            Bytes = bytes;
            // e_ident: "\x7fELF", EI_CLASS 2 (64-bit), EI_DATA 1 (little-endian).
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F' || bytes[4] != 2 || bytes[5] != 1)
                throw new CompatException("not a little-endian 64-bit ELF file.");
            // Elf64_Ehdr: e_shoff u64 @0x28, e_shentsize u16 @0x3a, e_shnum u16 @0x3c.
            // Elf64_Shdr: sh_type u32 @4, sh_offset u64 @24, sh_size u64 @32, sh_link u32 @40, sh_info u32 @44.
            for (int i = 0; i < U16(0x3c); i++)
            {
                int header = (int)U64(0x28) + i * U16(0x3a);
                _sections.Add(new Section(U32(header + 4), U64(header + 24), U64(header + 32), U32(header + 40), U32(header + 44)));
            }
        }

        public byte[] Bytes { get; }

        public Section FindSection(uint type) => _sections.FirstOrDefault(s => s.Type == type);

        public ushort U16(int at) => BitConverter.ToUInt16(Bytes, at);

        public uint U32(int at) => BitConverter.ToUInt32(Bytes, at);

        public ulong U64(int at) => BitConverter.ToUInt64(Bytes, at);

        public void SetU16(int at, ushort value) => BitConverter.GetBytes(value).CopyTo(Bytes, at);

        // A NUL-terminated string at `offset` in the string table that is section number `table`.
        public string String(uint table, uint offset)
        {
            int start = (int)(_sections[(int)table].Offset + offset);
            int end = Array.IndexOf(Bytes, (byte)0, start);
            return Encoding.ASCII.GetString(Bytes, start, end - start);
        }

        // Version names a library defines, from .gnu.version_d: a chain of Elf64_Verdef (vd_aux u32 @12,
        // vd_next u32 @16) whose first Elf64_Verdaux (vda_name u32 @0) names the version.
        public HashSet<string> DefinedVersions()
        {
            var names = new HashSet<string>();
            Section verdef = FindSection(ShtGnuVerDef);
            for (int def = verdef == null ? 0 : (int)verdef.Offset, n = 0; verdef != null && n < verdef.Info; n++)
            {
                names.Add(String(verdef.Link, U32(def + (int)U32(def + 12))));
                def += (int)U32(def + 16);
            }
            return names;
        }

        public sealed class Section
        {
            public Section(uint type, ulong offset, ulong size, uint link, uint info)
            {
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
                Info = info;
            }

            public uint Type { get; }
            public ulong Offset { get; }
            public ulong Size { get; }
            public uint Link { get; }   // for symbol, version and dynamic sections: the string table's section number
            public uint Info { get; }   // for .gnu.version_r/_d: the number of entries
        }
    }
}
