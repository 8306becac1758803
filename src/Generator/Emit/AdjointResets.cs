using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// A last pass over a written reverse sweep: an adjoint reset to zero whose next use in the same block adds into it
    /// (<c>dP = 0.0; … dP += dT4 * x;</c>) is assigned there instead (<c>dP = dT4 * x;</c>). The JIT cannot fold
    /// <c>0.0 + y</c> (it is not <c>y</c> when y is −0.0), so the reset would leave an addition on the loop-carried
    /// path of the adjoint. Only adjoints are touched: for them the sign of a zero does not matter.
    /// </summary>
    internal static class AdjointResets
    {
        private static readonly Regex s_reset = new(@"^(\s*)(@?[A-Za-z_]\w*) = 0(\.0f?|\.0)?;$", RegexOptions.CultureInvariant);

        public static string Fold(string text, ICollection<string> adjoints)
        {
            if (text.IndexOf(" = 0.0", System.StringComparison.Ordinal) < 0 && text.IndexOf(" = 0.0f", System.StringComparison.Ordinal) < 0)
            {
                return text;
            }

            var lines = new List<string>(text.Split('\n'));
            for (int i = 0; i < lines.Count; i++)
            {
                // Most lines are not resets: a plain search first, the pattern only where it can match.
                if (lines[i].IndexOf(" = 0", System.StringComparison.Ordinal) < 0)
                {
                    continue;
                }

                var reset = s_reset.Match(lines[i]);
                if (!reset.Success || !adjoints.Contains(reset.Groups[2].Value))
                {
                    continue;
                }

                string indent = reset.Groups[1].Value;
                string name = reset.Groups[2].Value;
                for (int j = i + 1; j < lines.Count; j++)
                {
                    string line = lines[j];
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    if (Indentation(line) < indent.Length)
                    {
                        break; // the block ended
                    }

                    if (!CodeText.Mentions(line, name))
                    {
                        continue;
                    }

                    if (Indentation(line) == indent.Length && Rewrite(line, indent, name) is { } assigned)
                    {
                        lines[j] = assigned;
                        lines.RemoveAt(i);
                        i--;
                    }

                    break;
                }
            }

            var builder = new StringBuilder(text.Length);
            for (int i = 0; i < lines.Count; i++)
            {
                builder.Append(lines[i]);
                if (i < lines.Count - 1)
                {
                    builder.Append('\n');
                }
            }

            return builder.ToString();
        }

        /// <summary><c>x += e;</c> → <c>x = e;</c>, <c>x -= e;</c> → <c>x = -(e);</c>, when e does not read x.</summary>
        private static string? Rewrite(string line, string indent, string name)
        {
            string body = line.Substring(indent.Length);
            bool add = body.StartsWith(name + " += ", System.StringComparison.Ordinal);
            if (!(add || body.StartsWith(name + " -= ", System.StringComparison.Ordinal)) || !body.EndsWith(";", System.StringComparison.Ordinal))
            {
                return null;
            }

            string value = body.Substring(name.Length + 4, body.Length - name.Length - 5);
            if (CodeText.Mentions(value, name))
            {
                return null;
            }

            bool simple = Regex.IsMatch(value, @"^[\w@.\[\]]+$", RegexOptions.CultureInvariant);
            return indent + name + " = " + (add ? value : simple ? "-" + value : "-(" + value + ")") + ";";
        }

        private static int Indentation(string line)
        {
            int n = 0;
            while (n < line.Length && line[n] == ' ')
            {
                n++;
            }

            return n;
        }
    }
}
