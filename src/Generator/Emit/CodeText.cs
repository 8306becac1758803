using System.Globalization;

namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// Questions the emitter asks of code it has already written, answered by scanning the text once. Regular
    /// expressions over a whole generated file were an eighth of the generator's run (docs/benchmarks.md,
    /// "Compile time"); these scans are linear and allocate nothing.
    /// </summary>
    internal static class CodeText
    {
        /// <summary>A character that can continue an identifier (what <c>\w</c> matches, as far as C# names go).</summary>
        public static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || CharUnicodeInfo.GetUnicodeCategory(c)
            is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.ConnectorPunctuation;

        /// <summary>Whether <paramref name="name"/> occurs in <paramref name="text"/> as a whole identifier (not as part of dPX or a.dP).</summary>
        public static bool Mentions(string text, string name)
        {
            for (int at = text.IndexOf(name, System.StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, System.StringComparison.Ordinal))
            {
                bool startsWord = at == 0 || !(IsWordChar(text[at - 1]) || text[at - 1] is '@' or '.');
                int end = at + name.Length;
                bool endsWord = end == text.Length || !IsWordChar(text[end]);
                if (startsWord && endsWord)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether the code compares a name with itself, as in <c>i &lt; i</c>: a name (not a member access, not
        /// indexed or called on the right) on both sides of <c>&lt; &gt; &lt;= &gt;= == !=</c> written with one space
        /// either side, the way the emitter prints comparisons; from <paramref name="from"/> on.
        /// </summary>
        public static bool ComparesNameWithItself(string code, int from = 0)
        {
            for (int space = code.IndexOf(' ', from); space >= 0 && space + 3 < code.Length; space = code.IndexOf(' ', space + 1))
            {
                int op = space + 1;
                int opLength = code[op] switch
                {
                    '<' or '>' => code[op + 1] == '=' ? 2 : 1,
                    '=' or '!' => code[op + 1] == '=' ? 2 : 0,
                    _ => 0,
                };
                if (opLength == 0 || op + opLength >= code.Length || code[op + opLength] != ' ')
                {
                    continue;
                }

                // The name before the operator: word characters, perhaps an '@', not after a '.', a word or an '@'.
                int start = space;
                while (start > 0 && IsWordChar(code[start - 1]))
                {
                    start--;
                }

                if (start == space)
                {
                    continue;
                }

                if (start > 0 && code[start - 1] == '@')
                {
                    start--;
                }

                if (start > 0 && (IsWordChar(code[start - 1]) || code[start - 1] is '.' or '@'))
                {
                    continue;
                }

                int length = space - start;
                int right = op + opLength + 1;
                if (right + length > code.Length || string.CompareOrdinal(code, start, code, right, length) != 0)
                {
                    continue;
                }

                int after = right + length;
                if (after == code.Length || !(IsWordChar(code[after]) || code[after] is '.' or '[' or '('))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
