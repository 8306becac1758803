namespace DiffGen.Generator.Ir
{
    /// <summary>The element type of a value in the IR. Only <see cref="Double"/> and <see cref="Float"/> can carry derivatives.</summary>
    internal enum ScalarType
    {
        Double,
        Float,
        Int,
        Bool,
    }

    /// <summary>The shape of a variable: a scalar, a one-dimensional buffer (array or span), a rectangular matrix, or jagged rows.</summary>
    internal enum Shape
    {
        Scalar,
        Vector,
        Matrix,
        Jagged,
    }

    /// <summary>How a variable is held in C#; decides how the emitter declares it and its adjoint.</summary>
    internal enum Storage
    {
        /// <summary>A plain local or by-value parameter.</summary>
        Value,

        /// <summary>A <c>T[]</c>, <c>T[,]</c> or <c>T[][]</c> parameter.</summary>
        Array,

        /// <summary>A <c>Span&lt;T&gt;</c> parameter.</summary>
        Span,

        /// <summary>A <c>ReadOnlySpan&lt;T&gt;</c> parameter.</summary>
        ReadOnlySpan,

        /// <summary>A local buffer the method allocates (<c>new T[n]</c>, <c>stackalloc</c>); the generated code rents it.</summary>
        LocalBuffer,

        /// <summary>
        /// The [Output] <c>Span&lt;T&gt;</c> of a vector-valued method: written like a local buffer, but the caller's.
        /// Its adjoint starts at the caller's seeds instead of zero.
        /// </summary>
        Output,
    }

    internal static class StorageFacts
    {
        /// <summary>Whether the method writes into this buffer (so its elements change and reads are not stable).</summary>
        public static bool IsWritable(this Storage storage) => storage is Storage.LocalBuffer or Storage.Output;
    }

    /// <summary>What a variable is in the source program.</summary>
    internal enum VarRole
    {
        Parameter,
        Local,

        /// <summary>An intermediate value of one expression: assigned once per execution of its statement.</summary>
        Temp,

        /// <summary>A control flag introduced when <c>break</c>, <c>continue</c> or an early <c>return</c> is made structured.</summary>
        Flag,

        /// <summary>The method's return value.</summary>
        Result,
    }

    internal enum StmtKind
    {
        /// <summary><c>Target = Op(Args)</c>.</summary>
        Assign,

        /// <summary><c>Args[0][Args[1..n-1]] = Args[n]</c>: an element write.</summary>
        Store,

        /// <summary><c>Args[0][Args[1..n-1]] += Args[n]</c> (or <c>-=</c> when <see cref="IrStatement.Op"/> is Sub): an accumulating element write.</summary>
        StoreAdd,

        /// <summary><c>if (Args[0]) Body else Else</c>.</summary>
        If,

        /// <summary>A counted loop <c>for (Target = Args[0]; Target &lt; Args[1]; Target++) Body</c>; the bound is loop-invariant.</summary>
        For,

        /// <summary>A general loop: <c>while (true) { Body; if (!Args[0]) break; Else; }</c>.</summary>
        Loop,

        /// <summary>A local buffer allocation: <c>Target = new T[Args...]</c> (zeroed).</summary>
        Alloc,
    }

    internal enum Op
    {
        None,
        Const,
        Copy,
        Neg,
        Add,
        Sub,
        Mul,
        Div,
        Rem,
        Convert,
        Lt,
        Le,
        Gt,
        Ge,
        Eq,
        Ne,
        Not,
        AndAlso,
        OrElse,

        /// <summary>A conditional value <c>Args[0] ? Args[1] : Args[2]</c> of an inactive type (int or bool).</summary>
        Select,

        /// <summary>An element read: <c>Args[0][Args[1..]]</c>.</summary>
        Load,

        /// <summary><c>Args[0].Length</c>, or <c>GetLength(Constant)</c> for a matrix.</summary>
        Length,

        /// <summary>A Math/MathF function with a built-in derivative rule (<see cref="IrStatement.Function"/>).</summary>
        Math,

        /// <summary>An inactive named value the generator cannot fold, e.g. a static readonly field (<see cref="IrStatement.Text"/>).</summary>
        Named,

        /// <summary>A call to a user method with a known pullback (<see cref="IrStatement.Aux"/> indexes the call table).</summary>
        Call,

        /// <summary>
        /// Forward mode through a call (tangent programs only): Σᵢ ∂callee/∂argᵢ · ȧᵢ, from the callee's pullback with a
        /// unit seed. Args are the call's n arguments followed by one tangent per argument (a zero constant where an
        /// argument has none); <see cref="IrStatement.Aux"/> indexes the call table.
        /// </summary>
        CallTangent,
    }
}
