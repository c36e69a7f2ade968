//! A hand-written lexer and recursive-descent parser for `schema.prisma` text.
//!
//! The parser never panics. It collects errors with stable codes and recovers at block level:
//! after an error inside a block it skips to the next line that starts a block (`model X {`), so
//! that one run reports the errors of several blocks. It runs in linear time: the lexer tracks
//! line and column as it goes instead of recomputing them from the start of the text for each token.
//!
//! Error codes: `syntax-error`, `unterminated-string`, `unterminated-comment`, `unterminated-block`,
//! `invalid-character`, `invalid-escape`, `invalid-arity`, `nesting-too-deep`, `unknown-block`.

use super::ast::{
    Argument, Attribute, Comment, ConfigBlock, ConfigMember, ConfigProperty, EnumBlock, EnumMember,
    EnumValue, Expression, Field, FieldArity, FieldType, Identifier, ModelBlock, ModelMember,
    SchemaAst, Top,
};
use crate::error::{SchemaError, SchemaErrors, Span};

/// Arrays and function calls nested deeper than this are rejected, so that hostile input cannot
/// exhaust the stack of the recursive-descent parser.
pub const MAXIMUM_NESTING_DEPTH: usize = 64;

/// Past this many errors the rest are dropped: nobody reads them, and random bytes would
/// otherwise produce one error per byte.
const MAXIMUM_ERROR_COUNT: usize = 100;

/// Keywords that open a top-level block.
const BLOCK_KEYWORDS: [&str; 6] = ["datasource", "generator", "model", "view", "type", "enum"];

/// Parses `schema.prisma` text into a syntax tree that keeps comments and blank lines.
pub fn parse_schema(source: &str) -> Result<SchemaAst, SchemaErrors> {
    // Tokens keep their offsets and string indexes in 32 bits (a schema has about one token
    // per four bytes, and the token list is the largest allocation while a text is parsed).
    if u32::try_from(source.len()).is_err() {
        return Err(SchemaErrors {
            errors: vec![SchemaError::new(
                "schema-too-large",
                format!(
                    "The schema text is {} bytes long; at most {} bytes can be read.",
                    source.len(),
                    u32::MAX
                ),
                None,
            )],
        });
    }
    let lexed = Lexer::new(source).run();
    let lexer_error_offsets = lexed
        .errors
        .iter()
        .filter_map(|error| error.span.map(|span| span.start))
        .collect();
    let mut parser = Parser::new(
        source,
        lexed.tokens,
        lexed.string_values,
        lexer_error_offsets,
    );
    let tops = parser.parse_tops();
    let mut errors = lexed.errors;
    errors.extend(parser.errors);
    if errors.is_empty() {
        return Ok(SchemaAst { tops });
    }
    // Lexer and parser errors are found in two passes; merge them into source order.
    errors.sort_by_key(|error| error.span.map(|span| span.start).unwrap_or(usize::MAX));
    errors.truncate(MAXIMUM_ERROR_COUNT);
    Err(SchemaErrors { errors })
}

// ---------------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum TokenKind {
    /// An identifier, keyword or number; its text is the source slice.
    Word,
    /// A string literal; its decoded value is `string_values[value_index]`, kept outside the
    /// token so that tokens are small and copied without allocating.
    StringLiteral {
        value_index: u32,
    },
    /// `// text` or `/// text`; the text is the source slice after the slashes.
    LineComment {
        is_documentation: bool,
    },
    /// A `/* ... */` comment that stands alone on its lines; comments inside a line are skipped.
    BlockComment,
    Newline,
    OpenBrace,
    CloseBrace,
    OpenParenthesis,
    CloseParenthesis,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    Equals,
    At,
    DoubleAt,
    QuestionMark,
    Dot,
    EndOfFile,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Token {
    kind: TokenKind,
    start: u32,
    end: u32,
    line: u32,
    column: u32,
}

/// A token's offset or string index, which fits: `parse_schema` rejects texts longer than
/// `u32::MAX` bytes before lexing.
fn offset_in_32_bits(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl Token {
    fn start(&self) -> usize {
        self.start as usize
    }

    fn end(&self) -> usize {
        self.end as usize
    }

    fn span(&self) -> Span {
        Span {
            start: self.start(),
            end: self.end(),
            line: self.line,
            column: self.column,
        }
    }
}

struct LexedSource {
    tokens: Vec<Token>,
    string_values: Vec<String>,
    errors: Vec<SchemaError>,
}

/// A run of invalid characters, reported as one error instead of one error per character.
struct InvalidCharacterRun {
    start: usize,
    end: usize,
    line: u32,
    column: u32,
}

struct Lexer<'source> {
    source: &'source str,
    bytes: &'source [u8],
    offset: usize,
    line: u32,
    column: u32,
    tokens: Vec<Token>,
    string_values: Vec<String>,
    errors: Vec<SchemaError>,
    invalid_character_run: Option<InvalidCharacterRun>,
}

fn is_word_start_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Bytes that may continue a word, as a table: words are most of a schema's bytes, and a table
/// lookup is cheaper than a chain of range checks.
const WORD_CONTINUATION_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let character = byte as u8;
        table[byte] = character.is_ascii_alphanumeric() || character == b'_' || character == b'-';
        byte += 1;
    }
    table
};

impl<'source> Lexer<'source> {
    fn new(source: &'source str) -> Lexer<'source> {
        Lexer {
            source,
            bytes: source.as_bytes(),
            offset: 0,
            line: 1,
            column: 1,
            // Schema text averages several bytes per token; reserving avoids regrowing the vector.
            tokens: Vec::with_capacity(source.len() / 4),
            string_values: Vec::new(),
            errors: Vec::new(),
            invalid_character_run: None,
        }
    }

    fn byte_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(offset).copied()
    }

    /// Moves to `new_offset`, updating line and column. Every byte is visited once, which keeps
    /// the lexer linear; columns count characters, as `Span::from_offsets` does.
    fn advance_to(&mut self, new_offset: usize) {
        let new_offset = new_offset.min(self.bytes.len());
        for &byte in self.bytes.get(self.offset..new_offset).unwrap_or(&[]) {
            if byte == b'\n' {
                self.line = self.line.saturating_add(1);
                self.column = 1;
            } else if byte & 0xC0 != 0x80 {
                self.column = self.column.saturating_add(1);
            }
        }
        self.offset = new_offset.max(self.offset);
    }

    fn push_error(&mut self, code: &str, message: String, span: Span) {
        if self.errors.len() < MAXIMUM_ERROR_COUNT {
            self.errors
                .push(SchemaError::new(code, message, Some(span)));
        }
    }

    /// Emits a token from `start` (whose line and column are given) to the current offset.
    fn push_token(&mut self, kind: TokenKind, start: usize, line: u32, column: u32) {
        self.tokens.push(Token {
            kind,
            start: offset_in_32_bits(start),
            end: offset_in_32_bits(self.offset),
            line,
            column,
        });
    }

    fn flush_invalid_character_run(&mut self) {
        if let Some(run) = self.invalid_character_run.take() {
            let text = self.source.get(run.start..run.end).unwrap_or("");
            let message = if text.chars().count() == 1 {
                format!("Unexpected character `{}`.", describe_text(text))
            } else {
                format!("Unexpected characters `{}`.", describe_text(text))
            };
            let span = Span {
                start: run.start,
                end: run.end,
                line: run.line,
                column: run.column,
            };
            self.push_error("invalid-character", message, span);
        }
    }

    fn run(mut self) -> LexedSource {
        // A byte order mark is an encoding artefact, not schema text.
        if self.source.starts_with('\u{feff}') {
            self.advance_to('\u{feff}'.len_utf8());
        }
        while let Some(byte) = self.byte_at(self.offset) {
            let start = self.offset;
            let (line, column) = (self.line, self.column);
            self.lex_one(byte, start, line, column);
        }
        self.flush_invalid_character_run();
        let (line, column) = (self.line, self.column);
        self.push_token(TokenKind::EndOfFile, self.offset, line, column);
        LexedSource {
            tokens: self.tokens,
            string_values: self.string_values,
            errors: self.errors,
        }
    }

    /// Moves over `length` bytes known to be ASCII and free of line breaks: the fast path for
    /// words, punctuation and spaces.
    fn advance_over_ascii(&mut self, length: usize) {
        self.offset += length;
        self.column = self.column.saturating_add(length as u32);
    }

    fn push_ascii_token(
        &mut self,
        kind: TokenKind,
        length: usize,
        start: usize,
        line: u32,
        column: u32,
    ) {
        self.advance_over_ascii(length);
        self.push_token(kind, start, line, column);
    }

    /// Lexes one token or one run of whitespace at `start`.
    fn lex_one(&mut self, byte: u8, start: usize, line: u32, column: u32) {
        match byte {
            b' ' | b'\t' | b'\r' | b'\x0c' => {
                let mut end = start + 1;
                while matches!(self.byte_at(end), Some(b' ' | b'\t' | b'\r' | b'\x0c')) {
                    end += 1;
                }
                self.advance_over_ascii(end - start);
            }
            b'\n' => {
                self.offset += 1;
                self.line = self.line.saturating_add(1);
                self.column = 1;
                self.push_token(TokenKind::Newline, start, line, column);
            }
            b'{' => self.push_ascii_token(TokenKind::OpenBrace, 1, start, line, column),
            b'}' => self.push_ascii_token(TokenKind::CloseBrace, 1, start, line, column),
            b'(' => self.push_ascii_token(TokenKind::OpenParenthesis, 1, start, line, column),
            b')' => self.push_ascii_token(TokenKind::CloseParenthesis, 1, start, line, column),
            b'[' => self.push_ascii_token(TokenKind::OpenBracket, 1, start, line, column),
            b']' => self.push_ascii_token(TokenKind::CloseBracket, 1, start, line, column),
            b',' => self.push_ascii_token(TokenKind::Comma, 1, start, line, column),
            b':' => self.push_ascii_token(TokenKind::Colon, 1, start, line, column),
            b'=' => self.push_ascii_token(TokenKind::Equals, 1, start, line, column),
            b'?' => self.push_ascii_token(TokenKind::QuestionMark, 1, start, line, column),
            b'.' => self.push_ascii_token(TokenKind::Dot, 1, start, line, column),
            b'@' if self.byte_at(start + 1) == Some(b'@') => {
                self.push_ascii_token(TokenKind::DoubleAt, 2, start, line, column)
            }
            b'@' => self.push_ascii_token(TokenKind::At, 1, start, line, column),
            b'/' if self.byte_at(start + 1) == Some(b'/') => {
                self.lex_line_comment(start, line, column)
            }
            b'/' if self.byte_at(start + 1) == Some(b'*') => {
                self.lex_block_comment(start, line, column)
            }
            b'"' => self.lex_string(start, line, column),
            b'-' if self
                .byte_at(start + 1)
                .is_some_and(|next| next.is_ascii_digit()) =>
            {
                self.lex_word(start + 1, start, line, column)
            }
            _ if is_word_start_byte(byte) => self.lex_word(start, start, line, column),
            _ => self.lex_invalid_character(start, line, column),
        }
    }

    fn lex_word(&mut self, scan_from: usize, start: usize, line: u32, column: u32) {
        let word_length = self.bytes.get(scan_from..).map_or(0, |rest| {
            rest.iter()
                .position(|byte| !WORD_CONTINUATION_BYTES[usize::from(*byte)])
                .unwrap_or(rest.len())
        });
        let end = scan_from + word_length;
        self.push_ascii_token(TokenKind::Word, end - start, start, line, column);
    }

    fn lex_invalid_character(&mut self, start: usize, line: u32, column: u32) {
        let character_length = self
            .source
            .get(start..)
            .and_then(|rest| rest.chars().next())
            .map_or(1, char::len_utf8);
        self.advance_to(start + character_length);
        match &mut self.invalid_character_run {
            Some(run) if run.end == start => run.end = self.offset,
            _ => {
                self.flush_invalid_character_run();
                self.invalid_character_run = Some(InvalidCharacterRun {
                    start,
                    end: self.offset,
                    line,
                    column,
                });
            }
        }
    }

    fn end_of_line_from(&self, offset: usize) -> usize {
        match self
            .bytes
            .get(offset..)
            .and_then(|rest| rest.iter().position(|byte| *byte == b'\n'))
        {
            Some(distance) => offset + distance,
            None => self.bytes.len(),
        }
    }

    fn lex_line_comment(&mut self, start: usize, line: u32, column: u32) {
        let end_of_line = self.end_of_line_from(start);
        // Carriage returns before the newline belong to the line ending, not to the comment text.
        let mut end = end_of_line;
        while end > start + 2 && self.byte_at(end - 1) == Some(b'\r') {
            end -= 1;
        }
        let is_documentation = self.byte_at(start + 2) == Some(b'/');
        self.advance_to(end.max(start + 2));
        self.push_token(
            TokenKind::LineComment { is_documentation },
            start,
            line,
            column,
        );
    }

    fn lex_block_comment(&mut self, start: usize, line: u32, column: u32) {
        let closing = self
            .source
            .get(start + 2..)
            .and_then(|rest| rest.find("*/"));
        let Some(closing) = closing else {
            self.advance_to(self.bytes.len());
            let span = Span {
                start,
                end: self.offset,
                line,
                column,
            };
            self.push_error(
                "unterminated-comment",
                "This `/*` comment is not closed with `*/`.".to_string(),
                span,
            );
            return;
        };
        let end = start + 2 + closing + 2;
        let starts_its_line = matches!(
            self.tokens.last(),
            None | Some(Token {
                kind: TokenKind::Newline,
                ..
            })
        );
        let mut after = end;
        while matches!(self.byte_at(after), Some(b' ' | b'\t' | b'\r')) {
            after += 1;
        }
        let ends_its_line = matches!(self.byte_at(after), None | Some(b'\n'));
        self.advance_to(end);
        // A comment alone on its lines is kept; one inside a line is treated like whitespace,
        // because the syntax tree has no place for it.
        if starts_its_line && ends_its_line {
            self.push_token(TokenKind::BlockComment, start, line, column);
        }
    }

    fn lex_string(&mut self, start: usize, line: u32, column: u32) {
        let mut value = String::new();
        let mut offset = start + 1;
        loop {
            let Some(character) = self
                .source
                .get(offset..)
                .and_then(|rest| rest.chars().next())
            else {
                self.report_unterminated_string(start, offset, line, column);
                break;
            };
            match character {
                '"' => {
                    offset += 1;
                    break;
                }
                '\n' => {
                    self.report_unterminated_string(start, offset, line, column);
                    break;
                }
                '\\' => offset = self.lex_escape(offset, &mut value),
                _ => {
                    // Copy the whole run of plain characters at once.
                    let run_length = self
                        .bytes
                        .get(offset..)
                        .and_then(|rest| {
                            rest.iter()
                                .position(|byte| matches!(byte, b'"' | b'\\' | b'\n'))
                        })
                        .unwrap_or(self.bytes.len().saturating_sub(offset));
                    value.push_str(self.source.get(offset..offset + run_length).unwrap_or(""));
                    offset += run_length.max(1);
                }
            }
        }
        self.advance_to(offset);
        let value_index = offset_in_32_bits(self.string_values.len());
        self.string_values.push(value);
        self.push_token(
            TokenKind::StringLiteral { value_index },
            start,
            line,
            column,
        );
    }

    fn report_unterminated_string(&mut self, start: usize, end: usize, line: u32, column: u32) {
        let end = if end > start && self.byte_at(end - 1) == Some(b'\r') {
            end - 1
        } else {
            end
        };
        let span = Span {
            start,
            end,
            line,
            column,
        };
        self.push_error(
            "unterminated-string",
            "This string is not closed with `\"`.".to_string(),
            span,
        );
    }

    /// Decodes the escape sequence at `backslash_offset` into `value`; returns the offset after it.
    fn lex_escape(&mut self, backslash_offset: usize, value: &mut String) -> usize {
        let after_backslash = backslash_offset + 1;
        let Some(escaped) = self
            .source
            .get(after_backslash..)
            .and_then(|rest| rest.chars().next())
        else {
            return after_backslash;
        };
        let simple = match escaped {
            '"' => Some('"'),
            '\\' => Some('\\'),
            '/' => Some('/'),
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            '0' => Some('\0'),
            _ => None,
        };
        if let Some(decoded) = simple {
            value.push(decoded);
            return after_backslash + 1;
        }
        if escaped == 'u' {
            if let Some((decoded, end)) = self.decode_unicode_escape(backslash_offset) {
                value.push(decoded);
                return end;
            }
        }
        if escaped == '\n' {
            // Leave the newline to the string loop, which reports the string as unterminated.
            return after_backslash;
        }
        let end = after_backslash + escaped.len_utf8();
        let sequence = self.source.get(backslash_offset..end).unwrap_or("\\");
        let message = format!(
            "Unknown escape sequence `{}`. Supported escapes are \\\", \\\\, \\n, \\t, \\r and \\u{{...}}; write \\\\ for a backslash.",
            describe_text(sequence)
        );
        let span = self.span_inside_current_line(backslash_offset, end);
        self.push_error("invalid-escape", message, span);
        value.push(escaped);
        end
    }

    /// Decodes `\u{1F600}`, `\u00e9`, and a `\uD83D\uDE00` surrogate pair.
    fn decode_unicode_escape(&self, backslash_offset: usize) -> Option<(char, usize)> {
        let digits_start = backslash_offset + 2;
        if self.byte_at(digits_start) == Some(b'{') {
            let closing = self.source.get(digits_start + 1..)?.find('}')?;
            let digits = self
                .source
                .get(digits_start + 1..digits_start + 1 + closing)?;
            if digits.is_empty()
                || digits.len() > 6
                || !digits.bytes().all(|byte| byte.is_ascii_hexdigit())
            {
                return None;
            }
            let code_point = u32::from_str_radix(digits, 16).ok()?;
            return Some((char::from_u32(code_point)?, digits_start + 1 + closing + 1));
        }
        let first = self.four_hex_digits(digits_start)?;
        if let Some(character) = char::from_u32(first) {
            return Some((character, digits_start + 4));
        }
        // A high surrogate must be followed by `\u` and a low surrogate.
        let low_start = digits_start + 4;
        if (0xD800..0xDC00).contains(&first)
            && self.source.get(low_start..low_start + 2) == Some("\\u")
        {
            let second = self.four_hex_digits(low_start + 2)?;
            if (0xDC00..0xE000).contains(&second) {
                let code_point = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Some((char::from_u32(code_point)?, low_start + 6));
            }
        }
        None
    }

    fn four_hex_digits(&self, start: usize) -> Option<u32> {
        let digits = self.source.get(start..start + 4)?;
        if !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    }

    /// A span for text that lies on the current line after the lexer's current position, used
    /// for escape errors found while the string token is still being scanned.
    fn span_inside_current_line(&self, start: usize, end: usize) -> Span {
        let characters_before = self
            .source
            .get(self.offset..start)
            .map_or(0, |text| text.chars().count());
        let column = self.column.saturating_add(characters_before as u32);
        Span {
            start,
            end,
            line: self.line,
            column,
        }
    }
}

/// Shortens text for an error message, so that a megabyte of garbage does not end up in it.
fn describe_text(text: &str) -> String {
    const MAXIMUM_CHARACTERS: usize = 40;
    let mut described: String = text.chars().take(MAXIMUM_CHARACTERS).collect();
    if text.chars().nth(MAXIMUM_CHARACTERS).is_some() {
        described.push_str("...");
    }
    described
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

type ParseResult<T> = Result<T, SchemaError>;

/// Reads one member of a block (a field, a property, an enum value or a block attribute),
/// given the documentation above it, and appends it with any comments it carries.
type MemberParser<'closure, 'source, Member> = dyn FnMut(&mut Parser<'source>, PendingDocumentation, &mut Vec<Member>) -> ParseResult<()>
    + 'closure;

/// Which kind of block is being parsed, for keywords and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Datasource,
    Generator,
    Model,
    View,
    CompositeType,
    Enum,
}

impl BlockKind {
    fn from_keyword(keyword: &str) -> Option<BlockKind> {
        match keyword {
            "datasource" => Some(BlockKind::Datasource),
            "generator" => Some(BlockKind::Generator),
            "model" => Some(BlockKind::Model),
            "view" => Some(BlockKind::View),
            "type" => Some(BlockKind::CompositeType),
            "enum" => Some(BlockKind::Enum),
            _ => None,
        }
    }

    fn keyword(self) -> &'static str {
        match self {
            BlockKind::Datasource => "datasource",
            BlockKind::Generator => "generator",
            BlockKind::Model => "model",
            BlockKind::View => "view",
            BlockKind::CompositeType => "type",
            BlockKind::Enum => "enum",
        }
    }
}

/// The parts every block starts with: documentation, keyword, name and `{`.
struct BlockHeader {
    kind: BlockKind,
    name: Identifier,
    documentation: Vec<String>,
    keyword_token: Token,
    open_brace_token: Token,
}

/// `///` lines read before a member or block, with their spans, until it is known whether they
/// document the next item or stand alone (and are then kept as comments).
struct PendingDocumentation {
    lines: Vec<(String, Span)>,
    /// Whether the line after the last `///` line holds the next item (no blank line between).
    is_directly_followed: bool,
}

struct Parser<'source> {
    source: &'source str,
    tokens: Vec<Token>,
    string_values: Vec<String>,
    position: usize,
    errors: Vec<SchemaError>,
    nesting_depth: usize,
    end_of_file: Token,
    /// Where the lexer reported errors, in increasing order. A parse error that follows one in
    /// the same block is usually its consequence (a string that swallowed the `)`), and is dropped.
    lexer_error_offsets: Vec<usize>,
    /// The arguments and array elements of the lists being read, innermost last. Each list is
    /// moved out at its exact length when it closes: most hold one or two elements, and a
    /// vector grown by pushes keeps room for four (at 5,000 models the tree was half slack).
    argument_stack: Vec<Argument>,
    element_stack: Vec<Expression>,
    /// The same for the attributes of a field or an enum value.
    attribute_stack: Vec<Attribute>,
}

impl<'source> Parser<'source> {
    fn new(
        source: &'source str,
        tokens: Vec<Token>,
        string_values: Vec<String>,
        lexer_error_offsets: Vec<usize>,
    ) -> Parser<'source> {
        let end_of_file = tokens.last().copied().unwrap_or(Token {
            kind: TokenKind::EndOfFile,
            start: offset_in_32_bits(source.len()),
            end: offset_in_32_bits(source.len()),
            line: 1,
            column: 1,
        });
        Parser {
            source,
            tokens,
            string_values,
            position: 0,
            errors: Vec::new(),
            nesting_depth: 0,
            end_of_file,
            lexer_error_offsets,
            argument_stack: Vec::new(),
            element_stack: Vec::new(),
            attribute_stack: Vec::new(),
        }
    }

    // ----- token access -----

    fn token_at(&self, position: usize) -> &Token {
        self.tokens.get(position).unwrap_or(&self.end_of_file)
    }

    fn current(&self) -> &Token {
        self.token_at(self.position)
    }

    fn current_kind(&self) -> &TokenKind {
        &self.current().kind
    }

    fn advance(&mut self) -> Token {
        let token = *self.current();
        if self.position < self.tokens.len() {
            self.position += 1;
        }
        token
    }

    /// Moves a string literal's value out; each string token is read once.
    fn take_string_value(&mut self, value_index: u32) -> String {
        self.string_values
            .get_mut(value_index as usize)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    fn text_of(&self, token: &Token) -> &'source str {
        self.source.get(token.start()..token.end()).unwrap_or("")
    }

    fn is_at_end_of_file(&self) -> bool {
        matches!(self.current_kind(), TokenKind::EndOfFile)
    }

    fn is_first_on_its_line(&self, position: usize) -> bool {
        position == 0 || matches!(self.token_at(position - 1).kind, TokenKind::Newline)
    }

    /// Whether `position` holds a line that opens a block of any type: `word Name {` at the
    /// start of a line. Recovery after an error stops at such lines.
    fn is_any_block_start_at(&self, position: usize) -> bool {
        self.token_at(position).kind == TokenKind::Word
            && self.token_at(position + 1).kind == TokenKind::Word
            && self.token_at(position + 2).kind == TokenKind::OpenBrace
            && self.is_first_on_its_line(position)
    }

    /// Whether `position` holds a line that opens a block with a known keyword (`model X {`).
    /// Seen inside a block, it means that block was not closed.
    fn is_known_block_start_at(&self, position: usize) -> bool {
        self.is_any_block_start_at(position)
            && BLOCK_KEYWORDS.contains(&self.text_of(self.token_at(position)))
    }

    /// Whether `position` holds what is meant to open a block: a block keyword, even if the rest
    /// of its header is broken, or any `word Name {` (an unknown block type).
    fn is_top_level_block_candidate(&self, position: usize) -> bool {
        let token = self.token_at(position);
        token.kind == TokenKind::Word
            && (BLOCK_KEYWORDS.contains(&self.text_of(token))
                || self.is_any_block_start_at(position))
    }

    fn describe_token(&self, token: &Token) -> String {
        match &token.kind {
            TokenKind::Word => format!("`{}`", describe_text(self.text_of(token))),
            TokenKind::StringLiteral { .. } => "a string".to_string(),
            TokenKind::LineComment { .. } | TokenKind::BlockComment => "a comment".to_string(),
            TokenKind::Newline => "the end of the line".to_string(),
            TokenKind::EndOfFile => "the end of the file".to_string(),
            _ => format!("`{}`", self.text_of(token)),
        }
    }

    fn syntax_error_at_current(&self, expected: &str) -> SchemaError {
        let token = self.current();
        let message = format!("Expected {expected}, found {}.", self.describe_token(token));
        SchemaError::new("syntax-error", message, Some(token.span()))
    }

    /// Records a parse error found while reading the item that starts at `item_start`, unless the
    /// lexer already reported an error between that start and the point where this one was found.
    fn push_error(&mut self, error: SchemaError, item_start: usize) {
        let detection_end = self
            .current()
            .end()
            .max(error.span.map_or(0, |span| span.end));
        let first_lexer_error_in_item = self
            .lexer_error_offsets
            .partition_point(|offset| *offset < item_start);
        let is_consequence_of_lexer_error = self
            .lexer_error_offsets
            .get(first_lexer_error_in_item)
            .is_some_and(|offset| *offset <= detection_end);
        if !is_consequence_of_lexer_error && self.errors.len() < MAXIMUM_ERROR_COUNT {
            self.errors.push(error);
        }
    }

    fn span_from(&self, first: &Token, end: usize) -> Span {
        Span {
            start: first.start(),
            end: end.max(first.start()),
            line: first.line,
            column: first.column,
        }
    }

    /// The end offset of the last consumed token, used to close spans.
    fn previous_end(&self) -> usize {
        self.position
            .checked_sub(1)
            .map_or(0, |previous| self.token_at(previous).end())
    }

    fn comment_from_token(&self, token: &Token) -> Comment {
        let text = self
            .source
            .get(token.start() + 2..token.end())
            .unwrap_or("")
            .to_string();
        Comment {
            text,
            span: token.span(),
            is_block: false,
        }
    }

    /// A comment at the end of a line that has no place for one (after `{`, after `}`, after a
    /// block attribute): it becomes a comment of its own, printed on the next line. A `///` one
    /// gets a space after `//`, or the printed line would document whatever follows it.
    fn comment_moved_to_its_own_line(&self, token: &Token) -> Comment {
        let mut comment = self.comment_from_token(token);
        if comment.text.starts_with('/') {
            comment.text.insert(0, ' ');
        }
        comment
    }

    /// The text of a `///` comment after its three slashes.
    fn documentation_text(&self, token: &Token) -> String {
        self.source
            .get(token.start() + 3..token.end())
            .unwrap_or("")
            .to_string()
    }

    /// A standalone `/* ... */` comment, kept whole as written (the printer lays it out as
    /// Prisma does). A vector, so that callers extend member lists with it.
    fn comments_from_block_comment(&self, token: &Token) -> Vec<Comment> {
        vec![Comment {
            text: self.text_of(token).to_string(),
            span: token.span(),
            is_block: true,
        }]
    }

    /// Reads consecutive `///` lines and the line break after each one.
    fn read_documentation(&mut self) -> PendingDocumentation {
        let mut lines = Vec::new();
        while let TokenKind::LineComment {
            is_documentation: true,
        } = self.current_kind()
        {
            let token = self.advance();
            lines.push((self.documentation_text(&token), token.span()));
            if matches!(self.current_kind(), TokenKind::Newline) {
                self.advance();
            }
        }
        let is_directly_followed = !matches!(
            self.current_kind(),
            TokenKind::Newline | TokenKind::EndOfFile
        );
        PendingDocumentation {
            lines,
            is_directly_followed,
        }
    }

    /// Documentation that documents nothing is kept as comments whose text starts with `/`, so
    /// that they print back as the `///` lines the user wrote.
    fn documentation_as_comments(documentation: PendingDocumentation) -> Vec<Comment> {
        documentation
            .lines
            .into_iter()
            .map(|(text, span)| Comment {
                text: format!("/{text}"),
                span,
                is_block: false,
            })
            .collect()
    }

    fn documentation_lines(documentation: PendingDocumentation) -> Vec<String> {
        documentation
            .lines
            .into_iter()
            .map(|(text, _)| text)
            .collect()
    }

    /// Skips tokens until a line that opens a block, starting no earlier than `minimum_position`.
    fn recover_to_next_block(&mut self, minimum_position: usize) {
        self.position = self.position.max(minimum_position).min(self.tokens.len());
        while !self.is_at_end_of_file() && !self.is_any_block_start_at(self.position) {
            self.position += 1;
        }
        // Documentation belongs to the block it precedes: step back over it so that it is kept.
        while self.position >= minimum_position + 2
            && matches!(
                (
                    &self.token_at(self.position - 1).kind,
                    &self.token_at(self.position.saturating_sub(2)).kind
                ),
                (
                    TokenKind::Newline,
                    TokenKind::LineComment {
                        is_documentation: true
                    }
                )
            )
        {
            self.position -= 2;
        }
    }

    // ----- top level -----

    fn parse_tops(&mut self) -> Vec<Top> {
        let mut tops = Vec::new();
        loop {
            let position_before = self.position;
            match *self.current_kind() {
                TokenKind::EndOfFile => break,
                TokenKind::Newline => {
                    self.advance();
                }
                TokenKind::LineComment {
                    is_documentation: false,
                } => {
                    let token = self.advance();
                    tops.push(Top::Comment(self.comment_from_token(&token)));
                }
                TokenKind::BlockComment => {
                    let token = self.advance();
                    tops.extend(
                        self.comments_from_block_comment(&token)
                            .into_iter()
                            .map(Top::Comment),
                    );
                }
                TokenKind::LineComment {
                    is_documentation: true,
                } => {
                    let documentation = self.read_documentation();
                    if documentation.is_directly_followed
                        && self.is_top_level_block_candidate(self.position)
                    {
                        self.parse_top_block(Self::documentation_lines(documentation), &mut tops);
                    } else {
                        tops.extend(
                            Self::documentation_as_comments(documentation)
                                .into_iter()
                                .map(Top::Comment),
                        );
                    }
                }
                TokenKind::Word if self.is_top_level_block_candidate(self.position) => {
                    self.parse_top_block(Vec::new(), &mut tops);
                }
                _ => {
                    let error = self.syntax_error_at_current(
                        "a block such as `model`, `enum`, `datasource` or `generator`, or a comment",
                    );
                    let item_start = self.current().start();
                    self.push_error(error, item_start);
                    self.recover_to_next_block(position_before + 1);
                }
            }
            if self.position == position_before && !self.is_at_end_of_file() {
                // Defensive: every branch consumes a token, but never loop forever if one does not.
                self.advance();
            }
        }
        tops
    }

    /// Parses the block at the current position (known to be `word Name {` at a line start).
    fn parse_top_block(&mut self, documentation: Vec<String>, tops: &mut Vec<Top>) {
        let block_start_position = self.position;
        let keyword_token = *self.current();
        let block_start = keyword_token.start();
        let keyword = self.text_of(&keyword_token);
        let Some(kind) = BlockKind::from_keyword(keyword) else {
            let message = format!(
                "Unknown block type `{}`. Expected one of `model`, `enum`, `view`, `type`, `datasource` or `generator`.",
                describe_text(keyword)
            );
            self.push_error(
                SchemaError::new("unknown-block", message, Some(keyword_token.span())),
                block_start,
            );
            self.recover_to_next_block(block_start_position + 1);
            return;
        };
        match self.parse_block(kind, documentation) {
            Ok(top) => {
                tops.push(top);
                // A comment after `}` on the same line is kept as a comment after the block.
                if let TokenKind::LineComment { .. } = self.current_kind() {
                    let token = self.advance();
                    tops.push(Top::Comment(self.comment_moved_to_its_own_line(&token)));
                }
                if !matches!(
                    self.current_kind(),
                    TokenKind::Newline | TokenKind::EndOfFile
                ) {
                    let error = self.syntax_error_at_current("the end of the line after `}`");
                    self.push_error(error, block_start);
                    self.recover_to_next_block(self.position);
                }
            }
            Err(error) => {
                self.push_error(error, block_start);
                self.recover_to_next_block(block_start_position + 1);
            }
        }
    }

    fn parse_block(&mut self, kind: BlockKind, documentation: Vec<String>) -> ParseResult<Top> {
        let header = self.parse_block_header(kind, documentation)?;
        match kind {
            BlockKind::Datasource => self.parse_config_block(header).map(Top::Datasource),
            BlockKind::Generator => self.parse_config_block(header).map(Top::Generator),
            BlockKind::Model => self.parse_model_block(header).map(Top::Model),
            BlockKind::View => self.parse_model_block(header).map(Top::View),
            BlockKind::CompositeType => self.parse_model_block(header).map(Top::CompositeType),
            BlockKind::Enum => self.parse_enum_block(header).map(Top::Enum),
        }
    }

    fn parse_block_header(
        &mut self,
        kind: BlockKind,
        documentation: Vec<String>,
    ) -> ParseResult<BlockHeader> {
        let keyword_token = self.advance();
        let name = self.expect_identifier(&format!("a name after `{}`", kind.keyword()))?;
        if self.current_kind() != &TokenKind::OpenBrace {
            return Err(self.syntax_error_at_current(&format!(
                "`{{` after `{} {}`",
                kind.keyword(),
                name.name
            )));
        }
        let open_brace_token = self.advance();
        Ok(BlockHeader {
            kind,
            name,
            documentation,
            keyword_token,
            open_brace_token,
        })
    }

    fn expect_identifier(&mut self, expected: &str) -> ParseResult<Identifier> {
        if self.current_kind() != &TokenKind::Word {
            return Err(self.syntax_error_at_current(expected));
        }
        let token = self.advance();
        Ok(Identifier {
            name: self.text_of(&token).to_string(),
            span: token.span(),
        })
    }

    fn unterminated_block_error(&self, header: &BlockHeader) -> SchemaError {
        let message = format!(
            "The {} `{}` is not closed with `}}`.",
            header.kind.keyword(),
            header.name.name
        );
        SchemaError::new(
            "unterminated-block",
            message,
            Some(header.open_brace_token.span()),
        )
    }

    fn block_span(&self, header: &BlockHeader) -> Span {
        self.span_from(&header.keyword_token, self.previous_end())
    }

    /// Reads what may follow a member on its line: an optional `//` comment, then the end of
    /// the line, or the `}` that closes the block.
    fn parse_end_of_member_line(
        &mut self,
        member_kind: &str,
        member_name: &str,
    ) -> ParseResult<Option<String>> {
        let mut trailing_comment = None;
        if let TokenKind::LineComment { .. } = self.current_kind() {
            let token = self.advance();
            trailing_comment = Some(self.comment_from_token(&token).text);
        }
        match self.current_kind() {
            TokenKind::Newline => {
                self.advance();
                Ok(trailing_comment)
            }
            TokenKind::CloseBrace | TokenKind::EndOfFile => Ok(trailing_comment),
            _ => Err(self.syntax_error_at_current(&format!(
                "an attribute, a comment or the end of the line after the {member_kind} `{member_name}`"
            ))),
        }
    }

    /// Drives the member loop shared by all block kinds: blank lines, comments, documentation,
    /// the closing `}`, and a block left open before the next block starts. `parse_member` reads
    /// one member that starts at the current token, given its documentation.
    fn parse_block_members<Member>(
        &mut self,
        header: &BlockHeader,
        blank_line: fn() -> Member,
        comment: fn(Comment) -> Member,
        parse_member: &mut MemberParser<'_, 'source, Member>,
    ) -> ParseResult<Vec<Member>> {
        let mut members: Vec<Member> = Vec::new();
        let mut has_pending_blank_line = false;
        // A comment after `{` on the header line becomes the first member.
        if let TokenKind::LineComment { .. } = self.current_kind() {
            let token = self.advance();
            members.push(comment(self.comment_moved_to_its_own_line(&token)));
        }
        if self.current_kind() == &TokenKind::Newline {
            self.advance();
        }
        loop {
            if self.is_known_block_start_at(self.position) {
                return Err(self.unterminated_block_error(header));
            }
            match self.current_kind() {
                TokenKind::CloseBrace => {
                    self.advance();
                    members.shrink_to_fit();
                    return Ok(members);
                }
                TokenKind::EndOfFile => return Err(self.unterminated_block_error(header)),
                TokenKind::Newline => {
                    self.advance();
                    has_pending_blank_line = true;
                    continue;
                }
                _ => {}
            }
            // Every other token starts at least one member, so the blank line before it is kept;
            // blank lines right after `{` are not.
            if has_pending_blank_line && !members.is_empty() {
                members.push(blank_line());
            }
            has_pending_blank_line = false;
            match self.current_kind() {
                TokenKind::LineComment {
                    is_documentation: false,
                } => {
                    let token = self.advance();
                    members.push(comment(self.comment_from_token(&token)));
                    if self.current_kind() == &TokenKind::Newline {
                        self.advance();
                    }
                }
                TokenKind::BlockComment => {
                    let token = self.advance();
                    if self.current_kind() == &TokenKind::Newline {
                        self.advance();
                    }
                    members.extend(
                        self.comments_from_block_comment(&token)
                            .into_iter()
                            .map(comment),
                    );
                }
                TokenKind::LineComment {
                    is_documentation: true,
                } => {
                    let documentation = self.read_documentation();
                    if self.is_known_block_start_at(self.position) {
                        return Err(self.unterminated_block_error(header));
                    }
                    if documentation.is_directly_followed && self.current_kind() == &TokenKind::Word
                    {
                        parse_member(self, documentation, &mut members)?;
                    } else {
                        members.extend(
                            Self::documentation_as_comments(documentation)
                                .into_iter()
                                .map(comment),
                        );
                    }
                }
                _ => {
                    let no_documentation = PendingDocumentation {
                        lines: Vec::new(),
                        is_directly_followed: true,
                    };
                    parse_member(self, no_documentation, &mut members)?;
                }
            }
        }
    }

    // ----- config blocks -----

    fn parse_config_block(&mut self, header: BlockHeader) -> ParseResult<ConfigBlock> {
        let members = self.parse_block_members(
            &header,
            || ConfigMember::BlankLine,
            ConfigMember::Comment,
            &mut |parser, documentation, members| {
                // Properties carry no documentation: `///` lines above one are kept as comments.
                members.extend(
                    Self::documentation_as_comments(documentation)
                        .into_iter()
                        .map(ConfigMember::Comment),
                );
                members.push(ConfigMember::Property(parser.parse_config_property()?));
                Ok(())
            },
        )?;
        let span = self.block_span(&header);
        Ok(ConfigBlock {
            name: header.name,
            documentation: header.documentation,
            members,
            span,
        })
    }

    fn parse_config_property(&mut self) -> ParseResult<ConfigProperty> {
        let name =
            self.expect_identifier("a property name such as `provider`, a comment or `}`")?;
        if self.current_kind() != &TokenKind::Equals {
            return Err(
                self.syntax_error_at_current(&format!("`=` after the property `{}`", name.name))
            );
        }
        self.advance();
        let value =
            self.parse_expression(&|| format!("a value for the property `{}`", name.name))?;
        let span = Span {
            start: name.span.start,
            end: self.previous_end(),
            line: name.span.line,
            column: name.span.column,
        };
        let trailing_comment = self.parse_end_of_member_line("property", &name.name)?;
        Ok(ConfigProperty {
            name,
            value,
            trailing_comment,
            span,
        })
    }

    // ----- model, view and type blocks -----

    fn parse_model_block(&mut self, header: BlockHeader) -> ParseResult<ModelBlock> {
        let members = self.parse_block_members(
            &header,
            || ModelMember::BlankLine,
            ModelMember::Comment,
            &mut |parser, documentation, members| parser.parse_model_member(documentation, members),
        )?;
        let span = self.block_span(&header);
        Ok(ModelBlock {
            name: header.name,
            documentation: header.documentation,
            members,
            span,
        })
    }

    fn parse_model_member(
        &mut self,
        documentation: PendingDocumentation,
        members: &mut Vec<ModelMember>,
    ) -> ParseResult<()> {
        match self.current_kind() {
            TokenKind::DoubleAt => {
                members.extend(
                    Self::documentation_as_comments(documentation)
                        .into_iter()
                        .map(ModelMember::Comment),
                );
                let (attribute, trailing_comment) = self.parse_block_attribute_line()?;
                members.push(ModelMember::BlockAttribute(attribute));
                members.extend(trailing_comment.map(ModelMember::Comment));
                Ok(())
            }
            TokenKind::Word => {
                let field = self.parse_field(Self::documentation_lines(documentation))?;
                members.push(ModelMember::Field(field));
                Ok(())
            }
            _ => {
                Err(self
                    .syntax_error_at_current("a field, a block attribute such as `@@id`, or `}`"))
            }
        }
    }

    /// Parses `@@name(...)` and the rest of its line. A comment at the end of the line is
    /// returned as a comment member, since attributes have no place for one.
    fn parse_block_attribute_line(&mut self) -> ParseResult<(Attribute, Option<Comment>)> {
        let attribute = self.parse_attribute()?;
        let comment_token = match self.current_kind() {
            TokenKind::LineComment { .. } => Some(self.advance()),
            _ => None,
        };
        self.parse_end_of_member_line("attribute", &format!("@@{}", attribute.name.name))?;
        Ok((
            attribute,
            comment_token.map(|token| self.comment_moved_to_its_own_line(&token)),
        ))
    }

    fn parse_field(&mut self, documentation: Vec<String>) -> ParseResult<Field> {
        let name = self.expect_identifier("a field name")?;
        let field_type = self.parse_field_type(&name)?;
        let attributes = self.parse_member_attributes()?;
        let span = Span {
            start: name.span.start,
            end: self.previous_end(),
            line: name.span.line,
            column: name.span.column,
        };
        let trailing_comment = self.parse_end_of_member_line("field", &name.name)?;
        Ok(Field {
            name,
            field_type,
            attributes,
            documentation,
            trailing_comment,
            span,
        })
    }

    fn parse_field_type(&mut self, field_name: &Identifier) -> ParseResult<FieldType> {
        if self.current_kind() != &TokenKind::Word {
            return Err(
                self.syntax_error_at_current(&format!("a field type after `{}`", field_name.name))
            );
        }
        let type_token = self.advance();
        let type_name = Identifier {
            name: self.text_of(&type_token).to_string(),
            span: type_token.span(),
        };
        let mut unsupported = None;
        if type_name.name == "Unsupported" && self.current_kind() == &TokenKind::OpenParenthesis {
            self.advance();
            let TokenKind::StringLiteral { value_index } = *self.current_kind() else {
                return Err(self.syntax_error_at_current(
                    "a string such as \"polygon\" inside `Unsupported(...)`",
                ));
            };
            self.advance();
            let value = self.take_string_value(value_index);
            if self.current_kind() != &TokenKind::CloseParenthesis {
                return Err(self.syntax_error_at_current("`)` after the `Unsupported` type name"));
            }
            self.advance();
            unsupported = Some(value);
        }
        let arity = self.parse_field_arity()?;
        let span = self.span_from(&type_token, self.previous_end());
        Ok(FieldType {
            name: type_name,
            arity,
            unsupported,
            span,
        })
    }

    fn parse_field_arity(&mut self) -> ParseResult<FieldArity> {
        let arity = match self.current_kind() {
            TokenKind::QuestionMark => {
                self.advance();
                FieldArity::Optional
            }
            TokenKind::OpenBracket => {
                self.advance();
                if self.current_kind() != &TokenKind::CloseBracket {
                    return Err(self.syntax_error_at_current("`]` after `[` in a list type"));
                }
                self.advance();
                FieldArity::List
            }
            _ => FieldArity::Required,
        };
        if arity != FieldArity::Required
            && matches!(
                self.current_kind(),
                TokenKind::QuestionMark | TokenKind::OpenBracket
            )
        {
            let token = *self.current();
            let message = "A field type has one arity: write `Type?` for optional or `Type[]` for a list; lists cannot be optional.";
            return Err(SchemaError::new(
                "invalid-arity",
                message,
                Some(token.span()),
            ));
        }
        Ok(arity)
    }

    // ----- enum blocks -----

    fn parse_enum_block(&mut self, header: BlockHeader) -> ParseResult<EnumBlock> {
        let members = self.parse_block_members(
            &header,
            || EnumMember::BlankLine,
            EnumMember::Comment,
            &mut |parser, documentation, members| parser.parse_enum_member(documentation, members),
        )?;
        let span = self.block_span(&header);
        Ok(EnumBlock {
            name: header.name,
            documentation: header.documentation,
            members,
            span,
        })
    }

    fn parse_enum_member(
        &mut self,
        documentation: PendingDocumentation,
        members: &mut Vec<EnumMember>,
    ) -> ParseResult<()> {
        match self.current_kind() {
            TokenKind::DoubleAt => {
                members.extend(
                    Self::documentation_as_comments(documentation)
                        .into_iter()
                        .map(EnumMember::Comment),
                );
                let (attribute, trailing_comment) = self.parse_block_attribute_line()?;
                members.push(EnumMember::BlockAttribute(attribute));
                members.extend(trailing_comment.map(EnumMember::Comment));
                Ok(())
            }
            TokenKind::Word => {
                let name = self.expect_identifier("an enum value")?;
                let attributes = self.parse_member_attributes()?;
                let span = Span {
                    start: name.span.start,
                    end: self.previous_end(),
                    line: name.span.line,
                    column: name.span.column,
                };
                let trailing_comment = self.parse_end_of_member_line("enum value", &name.name)?;
                let documentation = Self::documentation_lines(documentation);
                members.push(EnumMember::Value(EnumValue {
                    name,
                    attributes,
                    documentation,
                    trailing_comment,
                    span,
                }));
                Ok(())
            }
            _ => Err(self.syntax_error_at_current(
                "an enum value, a block attribute such as `@@map`, or `}`",
            )),
        }
    }

    // ----- attributes and expressions -----

    /// Parses `@name`, `@@name`, `@db.Name` and an optional argument list.
    /// The `@...` attributes after a field or an enum value, in a vector of their number.
    fn parse_member_attributes(&mut self) -> ParseResult<Vec<Attribute>> {
        let first = self.attribute_stack.len();
        while self.current_kind() == &TokenKind::At {
            match self.parse_attribute() {
                Ok(attribute) => self.attribute_stack.push(attribute),
                Err(error) => {
                    self.attribute_stack.truncate(first);
                    return Err(error);
                }
            }
        }
        Ok(self.attribute_stack.drain(first..).collect())
    }

    fn parse_attribute(&mut self) -> ParseResult<Attribute> {
        let at_token = self.advance();
        let prefix = if at_token.kind == TokenKind::DoubleAt {
            "@@"
        } else {
            "@"
        };
        if self.current_kind() != &TokenKind::Word {
            return Err(
                self.syntax_error_at_current(&format!("an attribute name after `{prefix}`"))
            );
        }
        let name = self.parse_dotted_name();
        let mut arguments = Vec::new();
        let has_parentheses = self.current_kind() == &TokenKind::OpenParenthesis;
        if has_parentheses {
            arguments = self.parse_argument_list()?;
        }
        let span = self.span_from(&at_token, self.previous_end());
        Ok(Attribute {
            name,
            arguments,
            has_parentheses,
            span,
        })
    }

    /// Reads `a`, or `a.b.c` when the parts touch each other, as one identifier.
    fn parse_dotted_name(&mut self) -> Identifier {
        let first = self.advance();
        let mut end = first.end;
        while self.current_kind() == &TokenKind::Dot
            && self.current().start == end
            && self.token_at(self.position + 1).kind == TokenKind::Word
            && self.token_at(self.position + 1).start == self.current().end
        {
            self.advance();
            end = self.advance().end;
        }
        let name = self
            .source
            .get(first.start()..end as usize)
            .unwrap_or("")
            .to_string();
        Identifier {
            name,
            span: self.span_from(&first, end as usize),
        }
    }

    /// Inside `(...)` and `[...]`, line breaks and comments are layout only.
    fn skip_layout_inside_brackets(&mut self) {
        while matches!(
            self.current_kind(),
            TokenKind::Newline | TokenKind::LineComment { .. } | TokenKind::BlockComment
        ) {
            self.advance();
        }
    }

    fn enter_nesting(&mut self) -> ParseResult<()> {
        if self.nesting_depth >= MAXIMUM_NESTING_DEPTH {
            let message = format!(
                "Arrays and calls are nested more than {MAXIMUM_NESTING_DEPTH} levels deep."
            );
            return Err(SchemaError::new(
                "nesting-too-deep",
                message,
                Some(self.current().span()),
            ));
        }
        self.nesting_depth += 1;
        Ok(())
    }

    /// Parses `(argument, name: argument, ...)` starting at `(`.
    fn parse_argument_list(&mut self) -> ParseResult<Vec<Argument>> {
        self.enter_nesting()?;
        let first = self.argument_stack.len();
        let result = self.parse_argument_list_inside(first);
        // A list left by an error must not be taken for part of the list around it.
        self.argument_stack.truncate(first);
        self.nesting_depth = self.nesting_depth.saturating_sub(1);
        result
    }

    fn parse_argument_list_inside(&mut self, first: usize) -> ParseResult<Vec<Argument>> {
        self.advance();
        loop {
            self.skip_layout_inside_brackets();
            if self.current_kind() == &TokenKind::CloseParenthesis {
                self.advance();
                return Ok(self.argument_stack.drain(first..).collect());
            }
            let argument = self.parse_argument()?;
            self.argument_stack.push(argument);
            self.skip_layout_inside_brackets();
            match self.current_kind() {
                TokenKind::Comma => {
                    self.advance();
                }
                TokenKind::CloseParenthesis => {}
                _ => return Err(self.syntax_error_at_current("`,` or `)` after an argument")),
            }
        }
    }

    fn parse_argument(&mut self) -> ParseResult<Argument> {
        let first = *self.current();
        let mut name = None;
        if first.kind == TokenKind::Word
            && self.token_at(self.position + 1).kind == TokenKind::Colon
        {
            self.advance();
            self.advance();
            self.skip_layout_inside_brackets();
            name = Some(Identifier {
                name: self.text_of(&first).to_string(),
                span: first.span(),
            });
        }
        let value = self.parse_expression(&|| "an argument value".to_string())?;
        let span = self.span_from(&first, value.span().end);
        Ok(Argument { name, value, span })
    }

    /// Parses a value; `expected` describes it for the error message and runs only on an error.
    fn parse_expression(&mut self, expected: &dyn Fn() -> String) -> ParseResult<Expression> {
        let token = *self.current();
        match token.kind {
            TokenKind::StringLiteral { value_index } => {
                self.advance();
                Ok(Expression::String(
                    self.take_string_value(value_index),
                    token.span(),
                ))
            }
            TokenKind::OpenBracket => self.parse_array(),
            TokenKind::Word => {
                let is_number = self
                    .text_of(&token)
                    .starts_with(|character: char| character == '-' || character.is_ascii_digit());
                let name = self.parse_dotted_name();
                if is_number {
                    return Ok(Expression::Number(name.name, name.span));
                }
                if self.current_kind() == &TokenKind::OpenParenthesis {
                    let arguments = self.parse_argument_list()?;
                    let span = self.span_from(&token, self.previous_end());
                    return Ok(Expression::Function(name.name, arguments, span));
                }
                Ok(Expression::Constant(name.name, name.span))
            }
            _ => Err(self.syntax_error_at_current(&expected())),
        }
    }

    fn parse_array(&mut self) -> ParseResult<Expression> {
        self.enter_nesting()?;
        let first = self.element_stack.len();
        let result = self.parse_array_inside(first);
        self.element_stack.truncate(first);
        self.nesting_depth = self.nesting_depth.saturating_sub(1);
        result
    }

    fn parse_array_inside(&mut self, first: usize) -> ParseResult<Expression> {
        let open_bracket = self.advance();
        loop {
            self.skip_layout_inside_brackets();
            if self.current_kind() == &TokenKind::CloseBracket {
                let close_bracket = self.advance();
                return Ok(Expression::Array(
                    self.element_stack.drain(first..).collect(),
                    self.span_from(&open_bracket, close_bracket.end()),
                ));
            }
            let element = self.parse_expression(&|| "a value or `]` in the array".to_string())?;
            self.element_stack.push(element);
            self.skip_layout_inside_brackets();
            match self.current_kind() {
                TokenKind::Comma => {
                    self.advance();
                }
                TokenKind::CloseBracket => {}
                _ => return Err(self.syntax_error_at_current("`,` or `]` after an array element")),
            }
        }
    }
}
