using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace DiffGen.Generator.Tests.Diagnostics
{
    /// <summary>A span marked in a test source, with the diagnostic id expected there (null for a plain <c>[| |]</c>).</summary>
    internal sealed record MarkedSpan(string? Id, TextSpan Span);

    /// <summary>
    /// Test-source markup in the style of the Roslyn testing libraries: <c>{|DG0006:goto end;|}</c> marks the exact span
    /// where DG0006 is expected, <c>[|x|]</c> marks a span with no id. Markers may nest. <see cref="Parse"/> strips them
    /// and returns the source the generator sees, with the spans converted to offsets in it.
    /// </summary>
    internal static class Markup
    {
        public static (string Source, IReadOnlyList<MarkedSpan> Spans) Parse(string markup)
        {
            var text = new StringBuilder(markup.Length);
            var spans = new List<MarkedSpan>();
            var open = new Stack<(string? Id, int Start)>();
            int i = 0;
            while (i < markup.Length)
            {
                if (Starts(markup, i, "[|"))
                {
                    open.Push((null, text.Length));
                    i += 2;
                }
                else if (Starts(markup, i, "{|") && IdEnd(markup, i + 2) is int colon)
                {
                    open.Push((markup.Substring(i + 2, colon - (i + 2)), text.Length));
                    i = colon + 1;
                }
                else if ((Starts(markup, i, "|]") || Starts(markup, i, "|}")) && open.Count > 0)
                {
                    var (id, start) = open.Pop();
                    bool plain = markup[i + 1] == ']';
                    if (plain != (id is null))
                    {
                        throw new FormatException("Mismatched markup at offset " + i + ": '" + (plain ? "|]" : "|}") + "' closes " + (id is null ? "[|" : "{|" + id + ":"));
                    }

                    spans.Add(new MarkedSpan(id, TextSpan.FromBounds(start, text.Length)));
                    i += 2;
                }
                else
                {
                    text.Append(markup[i]);
                    i++;
                }
            }

            if (open.Count > 0)
            {
                throw new FormatException("Unclosed markup starting at offset " + open.Peek().Start + " of the stripped text");
            }

            spans.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : a.Span.End.CompareTo(b.Span.End));
            return (text.ToString(), spans);
        }

        /// <summary>The source without its markup, or the text unchanged when it is not well-formed markup.</summary>
        public static string TryStrip(string markup)
        {
            try
            {
                return Parse(markup).Source;
            }
            catch (FormatException)
            {
                return markup;
            }
        }

        private static bool Starts(string s, int i, string token) => string.CompareOrdinal(s, i, token, 0, token.Length) == 0;

        /// <summary>The index of the ':' that ends an id like DG0006 or CS0103 starting at <paramref name="i"/>, or null.</summary>
        private static int? IdEnd(string s, int i)
        {
            int j = i;
            while (j < s.Length && char.IsLetterOrDigit(s[j]))
            {
                j++;
            }

            return j > i && j < s.Length && s[j] == ':' ? j : null;
        }
    }
}
