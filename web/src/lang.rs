//! The languages the app is written in: what the catalogues (`i18n`) and the number formats
//! (`format`) are chosen by.

/// A language the app is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    De,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// As `User.locale` stores it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The locale dates and times are formatted in.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::De => "de-DE",
        }
    }

    /// Its own name, as a language menu lists it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }

    /// The language of a locale or language tag (`de`, `de-AT`, `en_US`), if the app has it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }
}
