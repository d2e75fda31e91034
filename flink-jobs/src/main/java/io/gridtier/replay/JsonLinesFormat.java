package io.gridtier.replay;

import io.gridtier.ingest.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a JSON-lines file as raw records: the file name as the source, the line number (1-based) as
 * the offset and the line's bytes untouched, so a bad line reaches the dead letters exactly as it
 * was. Blank lines are skipped (but counted in the line numbers). Not splittable: one reader per file.
 */
public final class JsonLinesFormat extends SimpleStreamFormat<RawRecord> {
    private static final long serialVersionUID = 1L;
    private final String sourceName;

    public JsonLinesFormat(String sourceName) {
        this.sourceName = sourceName;
    }

    @Override
    public StreamFormat.Reader<RawRecord> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(new BufferedInputStream(stream, 1 << 16), sourceName);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private static final class LineReader implements StreamFormat.Reader<RawRecord> {
        private final InputStream in;
        private final String source;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        private long lineNumber;

        LineReader(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        @Override
        public RawRecord read() throws IOException {
            while (true) {
                line.reset();
                int b;
                boolean any = false;
                while ((b = in.read()) != -1 && b != '\n') {
                    line.write(b);
                    any = true;
                }
                if (b == -1 && !any) {
                    return null;
                }
                lineNumber++;
                byte[] bytes = line.toByteArray();
                int len = bytes.length;
                if (len > 0 && bytes[len - 1] == '\r') {
                    bytes = java.util.Arrays.copyOf(bytes, len - 1);
                }
                if (!isBlank(bytes)) {
                    return new RawRecord(source, 0, lineNumber, null, bytes);
                }
                if (b == -1) {
                    return null;
                }
            }
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte x : bytes) {
                if (x != ' ' && x != '\t') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
