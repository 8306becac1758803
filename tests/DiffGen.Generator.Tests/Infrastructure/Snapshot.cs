using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks;
using Xunit.Sdk;

namespace DiffGen.Generator.Tests.Infrastructure
{
    /// <summary>
    /// A small snapshot helper that follows Verify's file conventions, so that moving to Verify.SourceGenerators
    /// later renames nothing:
    /// <list type="bullet">
    /// <item>the approved text lives in <c>Snapshots/&lt;TestClass&gt;.&lt;TestMethod&gt;.verified.cs</c> next to the test file;</item>
    /// <item>on a mismatch (or when the verified file is missing) the actual text is written to
    /// <c>&lt;TestClass&gt;.&lt;TestMethod&gt;.received.cs</c> beside it and the test fails with a line diff;</item>
    /// <item>with <c>DIFFGEN_ACCEPT_SNAPSHOTS=1</c> the received text overwrites the verified file and the test passes.</item>
    /// </list>
    /// Line endings are normalised to <c>\n</c> on both sides, so a checkout with CRLF does not fail.
    /// </summary>
    public static class Snapshot
    {
        public const string AcceptVariable = "DIFFGEN_ACCEPT_SNAPSHOTS";

        /// <summary>How many differing lines the failure message lists before it stops.</summary>
        private const int MaxReportedLines = 20;

        /// <summary>Verify-style asynchronous entry point.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static Task Verify(string text, [CallerFilePath] string sourceFile = "", [CallerMemberName] string testMethod = "")
        {
            Match(text, CallerClassName(sourceFile), testMethod, sourceFile);
            return Task.CompletedTask;
        }

        /// <summary>Synchronous equivalent of <see cref="Verify"/>.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void Match(string text, [CallerFilePath] string sourceFile = "", [CallerMemberName] string testMethod = "")
            => Match(text, CallerClassName(sourceFile), testMethod, sourceFile);

        /// <summary>Compares <paramref name="text"/> with the verified file of <paramref name="testClass"/>.<paramref name="testMethod"/>.</summary>
        public static void Match(string text, string testClass, string testMethod, string sourceFile)
        {
            var result = Compare(text, Path.Combine(Path.GetDirectoryName(sourceFile)!, "Snapshots"), testClass + "." + testMethod, Accepting);
            if (!result.Passed)
            {
                throw new XunitException(result.Message);
            }
        }

        public static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

        /// <summary>The outcome of a comparison, separated from the throwing so the helper itself can be tested.</summary>
        public sealed record Outcome(bool Passed, string Message, string VerifiedPath, string ReceivedPath);

        /// <summary>
        /// Compares <paramref name="text"/> with <c>&lt;directory&gt;/&lt;name&gt;.verified.cs</c>. Writes or deletes the
        /// received file as appropriate; when <paramref name="accept"/> is set, overwrites the verified file instead of failing.
        /// </summary>
        public static Outcome Compare(string text, string directory, string name, bool accept)
        {
            string verifiedPath = Path.Combine(directory, name + ".verified.cs");
            string receivedPath = Path.Combine(directory, name + ".received.cs");
            string received = Normalize(text);

            if (accept)
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(verifiedPath, received, new UTF8Encoding(false));
                DeleteIfPresent(receivedPath);
                return new Outcome(true, "accepted", verifiedPath, receivedPath);
            }

            if (!File.Exists(verifiedPath))
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(receivedPath, received, new UTF8Encoding(false));
                return new Outcome(false,
                    $"No verified snapshot at {verifiedPath}.\nThe generated text was written to {receivedPath}.\n" +
                    $"Review it and rename it to .verified.cs, or run the tests with {AcceptVariable}=1.",
                    verifiedPath, receivedPath);
            }

            string verified = Normalize(File.ReadAllText(verifiedPath));
            if (verified == received)
            {
                DeleteIfPresent(receivedPath);
                return new Outcome(true, "matched", verifiedPath, receivedPath);
            }

            File.WriteAllText(receivedPath, received, new UTF8Encoding(false));
            return new Outcome(false,
                $"Snapshot mismatch for {name}.\n  verified: {verifiedPath}\n  received: {receivedPath}\n" +
                $"(run with {AcceptVariable}=1 to accept the received text)\n\n" + Diff(verified, received),
                verifiedPath, receivedPath);
        }

        /// <summary>\r\n and lone \r become \n.</summary>
        public static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

        /// <summary>
        /// A readable unified-style diff: each block of differing lines with its line numbers in both texts, a line
        /// of context either side, at most <see cref="MaxReportedLines"/> differing lines. Lines are aligned with a
        /// longest-common-subsequence, so one inserted line shows as one line, not as everything after it.
        /// </summary>
        public static string Diff(string expected, string actual)
        {
            string[] a = Normalize(expected).Split('\n');
            string[] b = Normalize(actual).Split('\n');
            var ops = Align(a, b);

            var sb = new StringBuilder();
            sb.Append("--- verified\n+++ received\n");
            int reported = 0;
            for (int k = 0; k < ops.Count && reported < MaxReportedLines; k++)
            {
                if (ops[k].Kind == ' ')
                {
                    continue;
                }

                // Start of a block: header with positions, one line of context before it.
                int start = k;
                int end = k;
                while (end + 1 < ops.Count && ops[end + 1].Kind != ' ')
                {
                    end++;
                }

                sb.Append($"@@ verified line {ops[start].A + 1}, received line {ops[start].B + 1} @@\n");
                if (start > 0)
                {
                    sb.Append("  ").Append(ops[start - 1].Text).Append('\n');
                }

                for (int i = start; i <= end && reported < MaxReportedLines; i++, reported++)
                {
                    sb.Append(ops[i].Kind).Append(' ').Append(ops[i].Text).Append('\n');
                }

                if (end + 1 < ops.Count)
                {
                    sb.Append("  ").Append(ops[end + 1].Text).Append('\n');
                }

                k = end;
            }

            if (reported >= MaxReportedLines)
            {
                sb.Append("... (more differences not shown)\n");
            }

            return sb.ToString();
        }

        private readonly record struct Op(char Kind, int A, int B, string Text);

        private static List<Op> Align(string[] a, string[] b)
        {
            // Trim the common prefix and suffix first, so the quadratic table only covers the changed middle.
            int prefix = 0;
            while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
            {
                prefix++;
            }

            int suffix = 0;
            while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix])
            {
                suffix++;
            }

            int n = a.Length - prefix - suffix;
            int m = b.Length - prefix - suffix;
            var ops = new List<Op>();
            for (int i = 0; i < prefix; i++)
            {
                ops.Add(new Op(' ', i, i, a[i]));
            }

            if ((long)n * m > 4_000_000)
            {
                // Too large to align: report the whole middle as replaced.
                for (int i = 0; i < n; i++)
                {
                    ops.Add(new Op('-', prefix + i, prefix, a[prefix + i]));
                }

                for (int j = 0; j < m; j++)
                {
                    ops.Add(new Op('+', prefix + n, prefix + j, b[prefix + j]));
                }
            }
            else
            {
                var lcs = new int[n + 1, m + 1];
                for (int i = n - 1; i >= 0; i--)
                {
                    for (int j = m - 1; j >= 0; j--)
                    {
                        lcs[i, j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
                    }
                }

                int x = 0, y = 0;
                while (x < n || y < m)
                {
                    if (x < n && y < m && a[prefix + x] == b[prefix + y])
                    {
                        ops.Add(new Op(' ', prefix + x, prefix + y, a[prefix + x]));
                        x++;
                        y++;
                    }
                    else if (y < m && (x == n || lcs[x, y + 1] >= lcs[x + 1, y]))
                    {
                        ops.Add(new Op('+', prefix + x, prefix + y, b[prefix + y]));
                        y++;
                    }
                    else
                    {
                        ops.Add(new Op('-', prefix + x, prefix + y, a[prefix + x]));
                        x++;
                    }
                }
            }

            for (int i = 0; i < suffix; i++)
            {
                ops.Add(new Op(' ', a.Length - suffix + i, b.Length - suffix + i, a[a.Length - suffix + i]));
            }

            return ops;
        }

        /// <summary>
        /// The test class's name, as Verify names snapshots: the declaring type of the first frame outside this helper,
        /// unwrapping compiler-generated types (async state machines, lambdas). Falls back to the source file's name.
        /// </summary>
        private static string CallerClassName(string sourceFile)
        {
            var frames = new StackTrace().GetFrames();
            foreach (var frame in frames)
            {
                Type? type = frame.GetMethod()?.DeclaringType;
                if (type is null || type == typeof(Snapshot))
                {
                    continue;
                }

                while (type.IsDefined(typeof(CompilerGeneratedAttribute), false) && type.DeclaringType is not null)
                {
                    type = type.DeclaringType;
                }

                return type.Name;
            }

            return Path.GetFileNameWithoutExtension(sourceFile);
        }

        private static void DeleteIfPresent(string path)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }
}
