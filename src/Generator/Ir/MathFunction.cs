namespace DiffGen.Generator.Ir
{
    /// <summary>The Math/MathF functions DiffGen knows the derivative of. The names match System.Math.</summary>
    internal enum MathFunction
    {
        None,
        Sin,
        Cos,
        Tan,
        Asin,
        Acos,
        Atan,
        Atan2,
        Sinh,
        Cosh,
        Tanh,
        Asinh,
        Acosh,
        Atanh,
        Exp,
        Log,
        Log10,
        Log2,
        Sqrt,
        Cbrt,
        Pow,
        Abs,
        Max,
        Min,
        Clamp,
        FusedMultiplyAdd,
        ScaleB,

        // Piecewise-constant functions: derivative zero almost everywhere.
        Floor,
        Ceiling,
        Round,
        Truncate,
        Sign,
    }
}
