using System;
using System.Buffers.Binary;
using System.IO;
using Xunit;

namespace DiffGen.Samples.Tests.Support
{
    /// <summary>Checks that a file is a complete PNG: signature, an IHDR chunk first, an IEND chunk last.</summary>
    internal static class Png
    {
        private static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

        /// <summary>Asserts the file is a valid, non-trivial PNG and returns its pixel size.</summary>
        public static (int Width, int Height) AssertValid(string path, int minimumBytes = 10_000)
        {
            Assert.True(File.Exists(path), $"No file at {path}.");
            byte[] bytes = File.ReadAllBytes(path);
            Assert.True(bytes.Length >= minimumBytes, $"{path} has only {bytes.Length} bytes.");
            Assert.Equal(Signature, bytes.AsSpan(0, Signature.Length).ToArray());

            // The first chunk: length (4 bytes, 13 for IHDR), type "IHDR", width, height (big-endian).
            Assert.Equal(13u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8, 4)));
            Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
            int width = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16, 4));
            int height = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20, 4));

            // The last chunk: length 0, type "IEND", CRC.
            Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(bytes, bytes.Length - 8, 4));
            return (width, height);
        }
    }
}
