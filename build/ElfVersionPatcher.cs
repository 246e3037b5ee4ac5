// Compiled by MSBuild's RoslynCodeTaskFactory from LibTorchCompat.targets; not part of any project.
#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks the libstdc++ symbol versions that a shared library requires but the host's libstdc++ does not
/// define as weak requirements, so the dynamic loader accepts the library. Works on 64-bit little-endian ELF.
/// </summary>
public sealed class WeakenMissingLibStdCxxVersions : Task
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;
    private const string LibStdCxx = "libstdc++.so.6";

    /// <summary>Path of the library to patch in place.</summary>
    [Required]
    public string Library { get; set; } = "";

    public override bool Execute()
    {
        var host = FindHostLibStdCxx();
        if (host == null)
        {
            Log.LogMessage(MessageImportance.Low, "No host libstdc++ found; leaving {0} as it is.", Library);
            return true;
        }

        var defined = new HashSet<string>(ReadDefinedVersions(File.ReadAllBytes(host)), StringComparer.Ordinal);
        var bytes = File.ReadAllBytes(Library);
        var weakened = WeakenRequirements(bytes, name => !defined.Contains(name));
        if (weakened.Count == 0)
        {
            return true;
        }

        // Replace the file rather than writing into it: the output copy may be a hard link to the NuGet cache.
        var temporary = Library + ".patching";
        File.WriteAllBytes(temporary, bytes);
        File.Delete(Library);
        File.Move(temporary, Library);
        Log.LogMessage(MessageImportance.High,
            "Marked {0} as weak in {1}: the host libstdc++ ({2}) does not define them.",
            string.Join(", ", weakened), Library, host);
        return true;
    }

    private static string? FindHostLibStdCxx()
    {
        try
        {
            var start = new ProcessStartInfo("/sbin/ldconfig", "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process != null)
            {
                var output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                foreach (var line in output.Split('\n'))
                {
                    var trimmed = line.Trim();
                    if (trimmed.StartsWith(LibStdCxx + " ", StringComparison.Ordinal) && trimmed.Contains("x86-64"))
                    {
                        var arrow = trimmed.IndexOf("=> ", StringComparison.Ordinal);
                        if (arrow > 0 && File.Exists(trimmed.Substring(arrow + 3)))
                        {
                            return trimmed.Substring(arrow + 3);
                        }
                    }
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No ldconfig on this host: fall back to the usual locations below.
        }

        foreach (var candidate in new[] { "/usr/lib/x86_64-linux-gnu/" + LibStdCxx, "/usr/lib64/" + LibStdCxx, "/lib64/" + LibStdCxx })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static IEnumerable<string> ReadDefinedVersions(byte[] elf)
    {
        foreach (var section in ReadSections(elf))
        {
            if (section.Type != ShtGnuVerdef)
            {
                continue;
            }

            var strings = ReadSections(elf)[(int)section.Link];
            var offset = (int)section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                // Elf64_Verdef: version, flags, ndx, cnt (u16 each), hash, aux, next (u32 each).
                var aux = BitConverter.ToUInt32(elf, offset + 12);
                var next = BitConverter.ToUInt32(elf, offset + 16);
                var nameOffset = BitConverter.ToUInt32(elf, offset + (int)aux);
                yield return ReadString(elf, (int)strings.Offset + (int)nameOffset);
                if (next == 0)
                {
                    break;
                }

                offset += (int)next;
            }
        }
    }

    private static List<string> WeakenRequirements(byte[] elf, Func<string, bool> isMissing)
    {
        var weakened = new List<string>();
        var sections = ReadSections(elf);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerneed)
            {
                continue;
            }

            var strings = sections[(int)section.Link];
            var offset = (int)section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                // Elf64_Verneed: version, cnt (u16 each), file, aux, next (u32 each).
                var count = BitConverter.ToUInt16(elf, offset + 2);
                var file = ReadString(elf, (int)strings.Offset + (int)BitConverter.ToUInt32(elf, offset + 4));
                var auxOffset = offset + (int)BitConverter.ToUInt32(elf, offset + 8);
                for (var j = 0; j < count; j++)
                {
                    // Elf64_Vernaux: hash (u32), flags, other (u16 each), name, next (u32 each).
                    var flags = BitConverter.ToUInt16(elf, auxOffset + 4);
                    var name = ReadString(elf, (int)strings.Offset + (int)BitConverter.ToUInt32(elf, auxOffset + 8));
                    if (file == LibStdCxx && (flags & VerFlagWeak) == 0 && isMissing(name))
                    {
                        var patched = BitConverter.GetBytes((ushort)(flags | VerFlagWeak));
                        elf[auxOffset + 4] = patched[0];
                        elf[auxOffset + 5] = patched[1];
                        weakened.Add(name);
                    }

                    auxOffset += (int)BitConverter.ToUInt32(elf, auxOffset + 12);
                }

                offset += (int)BitConverter.ToUInt32(elf, offset + 12);
            }
        }

        return weakened;
    }

    private static List<Section> ReadSections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }

        var tableOffset = (long)BitConverter.ToUInt64(elf, 0x28);
        var entrySize = BitConverter.ToUInt16(elf, 0x3A);
        var count = BitConverter.ToUInt16(elf, 0x3C);
        var sections = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            var at = (int)(tableOffset + (long)i * entrySize);
            sections.Add(new Section(
                BitConverter.ToUInt32(elf, at + 4),
                BitConverter.ToUInt64(elf, at + 24),
                BitConverter.ToUInt32(elf, at + 40),
                BitConverter.ToUInt32(elf, at + 44)));
        }

        return sections;
    }

    private static string ReadString(byte[] elf, int offset)
    {
        var end = Array.IndexOf(elf, (byte)0, offset);
        return Encoding.ASCII.GetString(elf, offset, end - offset);
    }

    private sealed class Section
    {
        public Section(uint type, ulong offset, uint link, uint info)
        {
            Type = type;
            Offset = offset;
            Link = link;
            Info = info;
        }

        public uint Type { get; }
        public ulong Offset { get; }
        public uint Link { get; }
        public uint Info { get; }
    }
}
