using System.Text;

namespace DiffGen.Generator.Emit
{
    /// <summary>An indented text writer. Lines end in "\n" on every platform, so output is byte-identical everywhere.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _builder = new();
        private int _indent;

        public int Indent
        {
            get => _indent;
            set => _indent = value;
        }

        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                _builder.Append(' ', _indent * 4);
                _builder.Append(text);
            }

            _builder.Append('\n');
            return this;
        }

        public void Open(string header)
        {
            Line(header);
            Line("{");
            _indent++;
        }

        public void Close(string suffix = "")
        {
            _indent--;
            Line("}" + suffix);
        }

        /// <summary>Appends another writer's text at the current indentation.</summary>
        public void Append(SourceWriter other) => Append(other.ToString());

        /// <summary>Appends text line by line at the current indentation (blank lines are dropped).</summary>
        public void Append(string text)
        {
            // Line by line in place: no array of line strings (the emitter nests writers several deep).
            int start = 0;
            while (start < text.Length)
            {
                int end = text.IndexOf('\n', start);
                if (end < 0)
                {
                    end = text.Length;
                }

                if (end > start)
                {
                    _builder.Append(' ', _indent * 4);
                    _builder.Append(text, start, end - start).Append('\n');
                }

                start = end + 1;
            }
        }

        /// <summary>Appends text exactly as it is.</summary>
        public void Raw(string text) => _builder.Append(text);

        public bool IsEmpty => _builder.Length == 0;

        /// <summary>The number of characters written.</summary>
        public int Length => _builder.Length;

        /// <summary>Puts text in front of everything written so far (the builder makes room in place, without a copy of the whole).</summary>
        public void Prepend(string text) => Insert(0, text);

        /// <summary>Puts text at a position taken earlier from <see cref="Length"/> (at the start of a line).</summary>
        public void Insert(int position, string text)
        {
            if (text.Length > 0)
            {
                _builder.Insert(position, text);
            }
        }

        public override string ToString() => _builder.ToString();
    }
}
