"""Cleaning rules, each with invented lines it must act on and prose it must leave alone.

The lines here were written for these tests (no page of the corpus is
quoted): dates as outlets print them, headlines under labels, captions and
banners, furniture of every kind, outlets named in datelines, bylines and
copyright lines but not in the sources a page quotes.
"""
from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from annotations.cleaning import clean, date_line, find_outlet, normalise_spaces
from annotations.corpus import clean_page

PROSE = [
    "Pertemuan kedua menteri digelar pada 26 Oktober 2020 pukul 10.00 WIB di Jenewa.",
    "Sejak 27 September 2020, lebih dari 5.000 orang tewas dalam pertempuran itu.",
    "Laporan wartawan di lapangan menyebutkan tiga rumah hancur.",
    "Editor surat kabar itu ditahan polisi pada Selasa malam.",
    "Sumber di kementerian mengatakan serangan itu disengaja.",
    "Armenia/Azerbaijan sepakat berunding lagi di Moskow pada Sabtu.",
    "Warga membagikan foto kerusakan itu di Facebook dan Twitter.",
    "Oleh karena itu, pemerintah menunda pemilihan umum.",
    "Bergabung dengan NATO adalah tujuan Finlandia sejak 2022.",
    "Ikut serta dalam perundingan itu utusan dari Turki dan Iran.",
    "Tentara itu bertugas di Desa Talysh, dekat garis depan.",
    "Menurut Reuters, lebih dari 30 orang terluka.",
    "Rapat kabinet (terbatas) dimulai pukul 09.00 WIB.",
    "Lewati jembatan itu dan lanjutkan membaca peta, kata komandan kepada pasukannya.",
    "Wartawan, fotografer dan editor ditahan polisi pada Selasa.",
    "Artikel yang diterbitkan oleh majalah itu memicu protes di Medan.",
    "Kemlu.go.id memuat daftar warga yang sudah dievakuasi.",
    "Warga diminta membaca panduan evakuasi di https://kemlu.go.id sebelum berangkat.",
    "Baca artikel itu, kata juru bicara, sebelum menuduh pemerintah lalai.",
    "#SaveGaza menjadi topik terpopuler di media sosial sepanjang Senin.",
    "Laporan: lebih dari 300 rumah rusak, menurut badan bencana (BNPB).",
    "Ikuti perkembangannya, kata juru bicara itu, sebelum pasar dibuka kembali.",
    "Berlangganan listrik prabayar kini lebih mudah bagi warga pengungsian.",
    "Penulis buku itu, Ahmad Tohari, hadir dalam diskusi di Purwokerto.",
    "Harga beras naik (lihat tabel) dan stok menipis di pasar induk.",
    "Nilai tukar rupiah > Rp16.000 per dolar AS sejak awal pekan, kata analis.",
    "Kompas.com adalah media pertama yang memuat foto itu, kata juru bicara.",  # no word of "kami"
    "Akhir dari perang itu belum terlihat, kata para diplomat di Jenewa.",
    "Baca pernyataan itu, yang beredar di Google News, dengan hati-hati, pesan polisi.",
    "Simak cara warga memantau berita banjir lewat Google News dan radio.",
    "Populer: begitu warga menyebut jalan pintas itu sejak banjir pertama, kata kepala desa.",
    "Foto Budi © 2019 dipamerkan di Jakarta hingga Minggu, kata panitia.",
]


def page(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


# A paragraph longer than most furniture rules look at.
LONG = ("Kementerian Pertahanan Armenia membantah tudingan tersebut dan menyebut pasukan Azerbaijan justru"
        " menembaki permukiman sipil di Stepanakert sepanjang malam, sementara kedua pihak belum mengizinkan"
        " pengamat internasional masuk ke wilayah itu.")


def body_of(*lines: str) -> str:
    return page("Kabar dari Kaukasus Selatan Hari Ini", "Jakarta - " + PROSE[0], LONG, *lines, PROSE[1])


# -- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("line, date", [
    ("Kompas.com - 11/10/2020, 19:42 WIB", "2020-10-11"),
    ("SENIN, 26 OKTOBER 2020 | 14:32 WIB | Reporter: Budi Santoso", "2020-10-26"),
    ("Kamis 08 Oct 2020 21:47 WIB", "2020-10-08"),
    ("Minggu 16 Aug 2020 07:05 WIB", "2020-08-16"),
    ("Sabtu 19 Dec 2020 10:00 WIB", "2020-12-19"),
    ("Rabu 13 May 2020 09:00 WIB", "2020-05-13"),
    ("- 8 Oktober 2020, 21:47 WIB", "2020-10-08"),
    ("Ahad 03 Apr 2022 18:35 WIB", "2022-04-03"),
    ("Ahad, 3 April 2022", "2022-04-03"),
    ("Minggu, 4 April 2021 08:00 WIB", "2021-04-04"),
    ("Jumat, 9 Oktober 2020 17:16 WIB", "2020-10-09"),
    ("Jum'at, 09 Oktober 2020 - 17:16 WIB", "2020-10-09"),
    ("Jum’at, 09 Oktober 2020 - 17:16 WITA", "2020-10-09"),
    ("Penulis: Sari Dewi | Editor: Budi Hartono | Selasa, 3 November 2020 10:15 WIB", "2020-11-03"),
    ("oleh Sari Dewi diperbarui 26 Okt 2020, 14:32 WIB", "2020-10-26"),
    ("Diterbitkan 2 Sept 2021, 06:00 WIB", "2021-09-02"),
    ("Rabu, 1 November 2023", "2023-11-01"),
    ("03 November 2022", "2022-11-03"),  # a date alone on its line
    ("23.10.2017", "2017-10-23"),
    ("Oleh: Sari Dewi - 4 Maret 2024", "2024-03-04"),  # a byline that dates the page
    ("Editor: Budi Hartono | 12 Oktober 2020", "2020-10-12"),
])
def test_date_lines_in_the_forms_outlets_print(line, date):
    assert [stamp.date for stamp in date_line(line)][:1] == [date]
    article = clean_page(page("Judul Berita yang Cukup Panjang di Sini", line, PROSE[2]))
    assert article.published == date
    assert line not in article.text and PROSE[2] in article.text


@pytest.mark.parametrize("line", PROSE[:2] + [
    "Warga berkumpul di alun-alun Stepanakert, Senin (26/10/2020). (ANTARA/Budi Santoso)",
    "Serangan 7 Oktober 2023 Jadi Titik Balik Perang",  # a headline with a date in it
    "Sejak 15 April 2023",  # a subheading
    "Gencatan senjata berlaku Senin, 26 Oktober 2020 pukul 08.00 WIB.",
])
def test_a_date_in_a_sentence_caption_or_headline_is_no_date_line(line):
    assert date_line(line) == []
    assert line in clean_page(page("Judul Berita yang Cukup Panjang di Sini", "Jakarta - " + PROSE[2], line,
                                   PROSE[3])).text.split("\n")


def test_published_stamp_is_preferred_to_updated():
    lines = ["Diperbarui 28 Okt 2020, 09:00 WIB", "Diterbitkan 26 Okt 2020, 14:32 WIB"]
    article = clean_page(page("Judul Berita yang Cukup Panjang", *lines, PROSE[0]))
    assert (article.published, article.meta["published_at"]) == ("2020-10-26", "2020-10-26T14:32+07:00")


def test_date_on_another_line_than_the_byline_is_found():
    article = clean_page(page("Judul Berita yang Cukup Panjang", "Penulis: Sari Dewi", "Editor: Budi",
                              "Foto: AP/Vadim Ghirda", "Sabtu, 10 Oktober 2020 | 20:05 WIB", PROSE[0]))
    assert article.published == "2020-10-10"
    assert article.meta["penulis"] == "Sari Dewi" and article.meta["editor"] == "Budi"
    assert article.meta["published_at"] == "2020-10-10T20:05+07:00"


def test_without_a_date_line_the_stamp_on_a_line_of_metadata_is_used():
    article = clean_page(page("Judul Berita yang Cukup Panjang", "Diperbarui Senin, 26/10/2020 14:32 WIB · 3 menit baca",
                              PROSE[0]))
    assert article.published == "2020-10-26"


def test_dates_in_captions_and_prose_are_not_the_publication_date():
    article = clean_page(page("Judul Berita yang Cukup Panjang",
                              "Warga mengungsi dari Ganja, Minggu (11/10/2020). (AFP/Bulent Kilic)",
                              PROSE[0], PROSE[1]))
    assert article.published is None


# -- titles ----------------------------------------------------------------------------------------

HEADLINE = "Rudal Hantam Kota Ganja, Azerbaijan Tuding Armenia"


@pytest.mark.parametrize("top", [
    ["Berita", "Dunia"],
    ["Internasional"],
    ["Home > Internasional > Asia"],
    ["Home » Internasional » " + HEADLINE],  # breadcrumbs ending in the headline
    ["Beranda › Berita › Internasional › Eropa › Kaukasus"],
    ["Baca berita dengan sedikit iklan, klik di sini", "GLOBAL"],
    ["detikNews", "Internasional", "Berita"],
    ["Perang di Kaukasus"],  # a topic label
    # a site's menu scraped onto one line, with separators or spaces, places and region names among its items
    ["Home | News | Nasional | Internasional | Ekonomi | Olahraga | Tekno"],
    ["BERANDA • POLITIK • HUKUM & KRIMINAL • DUNIA • GAYA HIDUP"],
    ["Beranda Jogja Sleman Bantul Nasional Internasional Bisnis Sport Video"],
    ["Indeks Terkini Jatim Surabaya Nasional Dunia Opini"],
])
def test_headline_under_labels_breadcrumbs_and_banners(top):
    article = clean_page(page(*top, HEADLINE, "Sari Dewi - detikNews", "Kamis, 08 Okt 2020 21:47 WIB",
                              "Yerevan - " + PROSE[0], PROSE[1]))
    assert article.title == HEADLINE
    assert article.text.split("\n")[0] == HEADLINE
    for line in top:
        assert line not in article.text
    assert "Sari Dewi" not in article.text


@pytest.mark.parametrize("headline", [
    "Ekonomi Dunia Global Lesu Akibat Perang di Eropa",  # section words in a headline with words of its own
    "Berita Duka: Wartawan Senior Tewas di Gaza",
    "Israel dan Palestina Berunding di Kairo",  # places, but no section names
    "Olahraga Nasional Berduka, Atlet Tewas dalam Serangan",
])
def test_a_headline_made_of_section_names_and_places_is_no_menu(headline):
    article = clean_page(page("Home | Internasional", headline, "Kamis, 08 Okt 2020 21:47 WIB",
                              "Yerevan - " + PROSE[0], PROSE[1]))
    assert article.title == headline
    assert article.text.split("\n")[0] == headline


# A page's opening whose words its headline repeats (the menus and kickers below hold none or few of them).
FERRY = "Kapal Feri Tenggelam di Selat Lombok, Dua Belas Penumpang Hilang"
FERRY_TEXT = ["MATARAM - Sebuah kapal feri yang membawa 80 penumpang tenggelam di Selat Lombok pada Selasa"
              " malam, dan dua belas penumpang masih hilang.",
              "Tim penyelamat menyisir selat itu sejak Rabu pagi dengan dua kapal patroli dan sebuah helikopter."]


@pytest.mark.parametrize("menu", [
    # section names no list holds, parted by runs of spaces, a tab, or one separator repeated
    "Sorotan   Jelajah   Kabar Daerah   Sudut Pandang   Ragam",
    "Sorotan\tJelajah\tKabar Daerah\tSudut Pandang",
    "Sorotan  Jelajah  Ragam",
    "Sorotan | Jelajah | Kabar Daerah | Sudut Pandang",
    "SOROTAN • JELAJAH • KABAR DAERAH • RAGAM",
    "Sorotan - Jelajah - Kabar Daerah - Ragam",
    "sorotan   jelajah   kabar daerah   ragam",  # in lower case
    # single spaces: a row of capitalised words the page's opening does not repeat, over a headline it does
    "Sorotan Jelajah Kabar Daerah Sudut Pandang Ragam",
    "Beranda Sorotan Mataram Jelajah Ragam",  # a town among the items, also the dateline's
    "beranda sorotan jelajah kabar ragam",
])
def test_a_menu_of_unknown_section_names_is_no_headline(menu):
    article = clean_page(page("Kabar Lombok", menu, "Daerah", FERRY, "Kamis, 08 Okt 2020 21:47 WIB", *FERRY_TEXT))
    assert article.title == FERRY
    lines = article.text.split("\n")
    assert lines[0] == FERRY and menu not in lines and menu.replace("\t", " ") not in lines
    assert "Sorotan" not in article.meta.get("section", "")


@pytest.mark.parametrize("headline", [
    "Kapal Feri Tenggelam Dua Belas Penumpang Hilang",  # short capitalised words, no punctuation
    "Kapal Feri  Tenggelam  Penumpang Hilang",  # runs of spaces, but items the text repeats... and a headline
    "Tim Penyelamat Menyisir Selat Lombok",
    "Kapal Feri Tenggelam - Penumpang Hilang - Tim Menyisir Selat",  # parts a separator parts
])
def test_a_headline_of_short_capitalised_words_stays(headline):
    article = clean_page(page("Daerah", headline, "Kamis, 08 Okt 2020 21:47 WIB", *FERRY_TEXT))
    assert normalise_spaces(article.title) == normalise_spaces(headline)


def test_a_headline_of_separated_parts_over_a_caption_stays():
    """A caption (or a deck) under the headline repeats the text's words as much as the headline: it
    tells nothing of whether a line above it is a menu."""
    headline = "Kapal Feri Tenggelam - Penumpang Hilang - Tim Menyisir Selat"
    caption = ("Tim penyelamat menyisir Selat Lombok dengan kapal patroli mencari dua belas penumpang kapal"
               " feri yang hilang, Rabu pagi. (ANTARA/Dewi Lestari)")
    article = clean_page(page("Daerah", headline, caption, "Kamis, 08 Okt 2020 21:47 WIB", *FERRY_TEXT))
    assert article.title == headline


def test_a_row_of_capitalised_words_in_the_text_stays():
    subheading = "Korban Hilang Terus Dicari"
    lines = ["Pencarian Berlanjut Sampai Malam", subheading]
    article = clean_page(page("Daerah", FERRY, *FERRY_TEXT[:1], *lines, *FERRY_TEXT[1:]))
    assert article.title == FERRY
    for line in lines:
        assert line in article.text.split("\n")


@pytest.mark.parametrize("kicker,echo", [
    ("Musibah Laut di Nusa Tenggara Barat", FERRY + " - Kabar Lombok"),  # the page's title names the headline
    ("Musibah Laut di Nusa Tenggara Barat", "Kapal Feri Tenggelam di Selat Lombok, Dua Belas..."),  # a share line
    ("MUSIBAH LAUT DI NUSA TENGGARA BARAT", None),  # in capitals over the headline
    ("Musibah Laut di Nusa Tenggara Barat", None),  # the opening repeats the headline's words, not the kicker's
    ("Musibah Kapal Feri Kembali Terjadi", None),
])
def test_a_kicker_of_five_words_above_the_headline_is_no_headline(kicker, echo):
    article = clean_page(page("Daerah", kicker, FERRY, "Kamis, 08 Okt 2020 21:47 WIB", *FERRY_TEXT,
                              *([echo] if echo else [])))
    assert article.title == FERRY
    # a kicker ending with a colon reads as a sentence, and a line of the text in doubt stays
    assert article.text.split("\n")[0] == FERRY


@pytest.mark.parametrize("kicker", [
    "Banjir Bandang di Kabupaten Bima",  # the text repeats as many of its words: the kicker is the shorter
    "Banjir Bandang Melanda Kabupaten Bima Sejak Senin:",  # more of them, but a colon leads to the headline
])
def test_a_kicker_the_text_repeats_as_much_as_the_headline_or_more_is_no_headline(kicker):
    headline = "Rumah Terendam, Warga Bima Bertahan di Atap Rumah Mereka"
    text = ["BIMA - Banjir bandang melanda Kabupaten Bima sejak Senin malam dan merendam rumah warga yang"
            " bertahan di loteng.", "Tim penyelamat tiba pada Selasa pagi dengan perahu karet."]
    assert clean_page(page(kicker, headline, "Kamis, 08 Okt 2020 21:47 WIB", *text)).title == headline


@pytest.mark.parametrize("below", [
    "Dua belas penumpang kapal feri masih hilang dan tim penyelamat menyisir selat",  # a deck without a stop
    "News - Sari Dewi, Kabar Lombok Network",  # a byline of five words
])
def test_a_line_of_five_words_under_the_headline_is_not_taken_for_it(below):
    article = clean_page(page("Daerah", FERRY, below, "Kamis, 08 Okt 2020 21:47 WIB", *FERRY_TEXT))
    assert article.title == FERRY


@pytest.mark.parametrize("title", ["Kabar Lombok | " + FERRY, "Kabar Lombok - " + FERRY])
def test_the_pages_title_naming_the_outlet_first_is_no_headline(title):
    article = clean_page(page(title, "Daerah", FERRY, "Kamis, 08 Okt 2020 21:47 WIB", *FERRY_TEXT))
    assert article.title == FERRY


def test_a_line_of_two_phrases_under_the_headline_is_not_taken_for_it():
    headline = "Duka di Selat Lombok Malam Itu"
    below = "Paragraf Satu. Kapal Feri Tenggelam, Dua Belas Penumpang Hilang"
    article = clean_page(page(headline, below, *FERRY_TEXT))
    assert article.title == headline


def test_an_echo_of_the_upper_line_keeps_it_the_headline():
    """Of two headline-like lines, the one the page prints again as its title is the headline, even when
    the lower one's words are more in the text."""
    lower = "Kapal Feri Tenggelam di Selat Lombok Tim Penyelamat Menyisir Selat"
    upper = "Dua Belas Orang Hilang di Laut Malam Itu"
    article = clean_page(page(upper, lower, "Kamis, 08 Okt 2020 21:47 WIB", *FERRY_TEXT, upper + " | Kabar Lombok"))
    assert article.title == upper


def test_headline_when_the_page_starts_with_a_caption():
    caption = "Petugas mencari korban di antara puing rumah di Ganja. (AFP/Bulent Kilic)"
    article = clean_page(page(caption, HEADLINE, "Editor: Budi Hartono", "GANJA, KOMPAS.com - " + PROSE[0]))
    assert article.title == HEADLINE
    assert caption in article.text


def test_a_caption_credited_after_a_colon_is_no_headline():
    caption = "Warga berkumpul di alun-alun kota menunggu kabar dari garis depan. Foto: AFP"
    article = clean_page(page("Internasional", caption, caption, HEADLINE, "Ani Lestari • 09 November 2020 21:34",
                              "Yerevan: " + PROSE[0], PROSE[1]))
    assert article.title == HEADLINE
    assert article.text.split("\n").count(caption) == 1


def test_a_sentence_about_a_photo_stays_prose():
    line = "Foto itu diambil pada Senin pagi dan kemudian tersebar luas di media sosial."
    assert line in clean_page(page(HEADLINE, "Yerevan - " + PROSE[0], line, PROSE[1])).text.split("\n")


def test_byline_and_deck_below_the_headline():
    deck = "Kiev menuduh pasukan Rusia melakukan pembantaian, Moskow membantah."
    article = clean_page(page("Internasional", HEADLINE, deck, "Rep: Ani Lestari/ Red: Budi Hartono",
                              "Ahad 03 Apr 2022 18:35 WIB", "REPUBLIKA.CO.ID, BUCHA -- " + PROSE[0]))
    assert article.title == HEADLINE
    assert deck in article.text
    assert article.meta["reporter"] == "Ani Lestari" and article.meta["editor"] == "Budi Hartono"
    assert "Rep:" not in article.text


def test_page_without_headline_takes_its_first_sentence():
    article = clean_page(page(PROSE[0] + " " + PROSE[1] * 3))
    assert article.title == PROSE[0]
    # a section label is no headline
    article = clean_page(page("Berita", "Dunia", "Jakarta - " + PROSE[0], PROSE[1]))
    assert article.title == "Jakarta - " + PROSE[0]


# -- furniture -------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Rep: Ani Lestari/ Red: Budi Hartono",
    "Penulis: Sari Dewi",
    "Editor : Budi Hartono",
    "Reporter: Tempo.co",
    "Pewarta: Yuni Sinaga",
    "Penulis: Sari Dewi | Editor: Budi Hartono",
    "Penulis",
    "Laporan wartawan Tribunnews.com, Gita Irawan",
    "ANTARA FOTO/Galih Pradipta/foc.",
    "ANTARA/Anadolu/py.",
    "AFP-REUTERS/John Doe",
    "AP/Alexei Druzhinin",
    "Foto: AP/Vadim Ghirda",
    "Ilustrasi/Net",
    "/Net",
    "*** /Reuters",
    "(Foto: Dok. Kemlu)",
    "Foto: Istimewa",
    "REUTERS | AP | BBC",
    "Sumber: Reuters, AP",
    "Sumber AFP",
    "Halaman: 1 2 3",
    "Halaman 2 dari 3",
    "Bagikan",
    "Share artikel ini:",
    "Whatsapp Facebook Twitter Line Telegram",
    "URL telah disalin",
    "Tags: Armenia, Azerbaijan, Karabakh",
    "Topik: Gaza",
    "Tulis komentar Anda...",
    "12 komentar",
    "Dapatkan update berita pilihan setiap hari dari Kompas.com. Mari bergabung di Grup Telegram.",
    "Ikuti berita terkini dari Tempo di Google News, klik di sini.",
    "Baca berita dengan sedikit iklan, klik di sini",
    "Dilarang keras mengambil konten tanpa izin tertulis dari redaksi.",
    "Pilihan Editor: Warga Sagaing Mengungsi ke Hutan",
    "Simak juga 'Warga Berlindung di Bunker':",
    "[Gambas:Video 20detik]",
    "SCROLL TO CONTINUE WITH CONTENT",
    "ADVERTISEMENT",
    "Lihat Foto",
    "(nvc/ita)",
    "Copyright © ANTARA 2023",
    "Artikel ini telah tayang di Tribun-Papua.com dengan judul Warga Mengungsi",
    "AFP",
    "Foto: EPA-EFE/PRESIDENTIAL PRESS SERVICE HANDOUT",
    "(WIL)",
    "Lewati Podcast dan lanjutkan membaca",
    "Informasi artikel",
    "(*)",
    "ae/hp (rtr, afp, ap)",
    "Oleh :",
    "Editor :",
    "Baca juga artikel terkait SUDAN atau tulisan lainnya dari Sari Dewi",
    "(Reuters/AFP)",
    "(AP, Reuters)",
    "Baca: Penjaga Perdamaian Mulai Berpatroli di Koridor Utara",
    "Penulis, Dewi Lestari",
    "Peranan, Kabar Medan",
    "Artikel yang diterbitkan oleh Sari Lubis",
    "KABARMEDAN.COM - Berita Medan Terkini",
    "www.kabarmedan.com",
    "(kabarmedan.com - Politik)",
    'Baca artikel detikjatim, "Warga Mengungsi dari Desa" selengkapnya https://www.detik.com/jatim/d-1/warga',
    "Simak berita pilihan kami langsung di ponselmu lewat saluran WhatsApp: https://whatsapp.com/channel/abc",
    "Gabung channel WhatsApp kami untuk berita terkini: https://whatsapp.com/channel/abc",
    "Sponsored",
    "Pilihan Untuk Anda",
    "#Gencatan Senjata #Ukraina #Zaporizhzhia",
    "******",
    "• • •",
    "(ant/warta)",
    "(afp/rtr/sdw/k12)",
    "(smb/c)",
    "Penulis: Sari Dewi - Editor: Budi Hartono",
    "Penulis Kontributor Maros, Sari Dewi",
    "Laporan: Sari Dewi (Maros)",
    "Laporan: Sari Dewi",
    "Keywords :",
    "Keywords: Gaza, Rafah",
    "Berlangganan Koran Warta Maros, hubungi bagian sirkulasi",
    "Langganan e-paper Warta Maros mulai Rp50.000 sebulan",
    "Ikuti laporan selengkapnya di Warta Maros (edisi cetak) dan Wartamaros.com (online).",
    "Wartamaros.com adalah media yang berbasis di Maros. Dukung kami melalui donasi Anda.",
    "Akhir dari Podcast",
    "Wartamaros.com © 2021. All rights reserved.",
    "Warta Maros © 2021",
    "Update berita dan artikel WARTAMAROS.COM menarik lainnya di Google News",
    "Pantau terus kabar Warta Maros lewat Google News",
    "Trending: Banjir Bima • Pilkada Serentak 2024 • Timnas Indonesia",
    "TOPIK HANGAT: Perang Rusia Ukraina, Konflik Sudan, Gencatan Senjata Gaza",
])
def test_furniture_is_dropped(line):
    article = clean_page(body_of(line))
    assert line not in article.text.split("\n")
    assert PROSE[0] in article.text and PROSE[1] in article.text and LONG in article.text


@pytest.mark.parametrize("line", PROSE)
def test_prose_that_looks_like_furniture_stays(line):
    for where in (body_of(line), page(HEADLINE, "Penulis: Sari Dewi", line, PROSE[0])):
        assert line in clean_page(where).text.split("\n")


@pytest.mark.parametrize("heading", ["Baca Juga", "Berita Terkait", "Artikel Terkait", "Lihat Juga :", "Tag",
                                     "TOPIK TERKAIT"])
def test_lists_under_a_heading_go_and_the_sentence_after_them_stays(heading):
    items = ["Zelenskyy Siap Bahas Status Netral Ukraina", "Turki Tawarkan Istanbul untuk Perundingan"]
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join([heading, *items, PROSE[2]]),
                           PROSE[1])).text
    assert heading not in text and not any(item in text for item in items)
    assert PROSE[2] in text and PROSE[1] in text


def test_a_promotion_box_under_its_skip_link_goes():
    box = ["Lewati Podcast dan lanjutkan membaca", "Podcast", "Dunia Pagi Ini", "Akhir dari Podcast"]
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join(box), "Akhir dari Sebuah Era", PROSE[1])).text
    assert text.split("\n\n") == [HEADLINE, "Jakarta - " + PROSE[0], "Akhir dari Sebuah Era", PROSE[1]]


def test_a_headline_cut_short_above_the_headline_goes():
    cut = " ".join(HEADLINE.split()[:4]) + "..."
    cleaned = clean_page(page("Home", cut, HEADLINE, "Kamis, 08 Okt 2020 21:47 WIB", "Jakarta - " + PROSE[0]))
    assert cleaned.title == HEADLINE and cut not in cleaned.text


def test_a_related_headline_asking_a_question_goes_and_a_question_in_the_text_stays():
    items = ["Taliban Kuasai Kabul: Apa yang Terjadi Sekarang?", "Mengapa Geng Menguasai Port-au-Prince?"]
    question = ("Apa artinya semua ini bagi ribuan warga yang masih bertahan di kamp pengungsian di pinggir"
                " kota itu?")
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join(["Berita terkait", *items, question]),
                           "Mengapa mereka bertahan?", PROSE[1])).text
    assert not any(item in text for item in items)
    assert question in text and "Mengapa mereka bertahan?" in text and PROSE[1] in text


@pytest.mark.parametrize("last", [
    "Perundingan dilanjutkan pekan depan di Wina, kata juru bicara itu",  # no full stop
    PROSE[1] + " Perundingan dilanjutkan pekan depan di Wina. Al Jazeera",  # a source after the last sentence
])
def test_related_headlines_and_tags_after_the_last_sentence_go(last):
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], last, "armenia", "perang armenia azerbaijan",
                           "Junta Myanmar Perpanjang Status Darurat Enam Bulan")).text
    assert text.split("\n")[-1] == last


@pytest.mark.parametrize("subheading", ["Negosiasi Berjalan Alot", "FOTO: Kerusakan Kota Ganja Pascaserangan"])
def test_subheadings_inside_the_article_stay(subheading):
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], subheading, PROSE[1])).text
    assert subheading in text.split("\n")


# -- lists inside the article ----------------------------------------------------------------------

LINKS = ["Menlu Jerman Kunjungi Kiev Pekan Depan", "Harga Gandum Dunia Kembali Naik"]
SUBHEADING = "Jembatan Darurat di Sungai Dnipro"
SECTION = "Tentara membangun jembatan darurat di atas Sungai Dnipro agar truk logistik bisa menyeberang."


@pytest.mark.parametrize("heading", ["Baca Juga", "Baca juga:", "Berita Terkait", "Artikel Terkait", "Simak juga"])
@pytest.mark.parametrize("gap", ["\n\n", "\n"])
def test_a_subheading_right_under_related_links_stays(heading, gap):
    """The last line under a list heading whose words the text after it tells is the article's
    subheading; the links above it go."""
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join([heading, *LINKS, SUBHEADING]) + gap + SECTION,
                           PROSE[1])).text
    assert SUBHEADING in text.split("\n") and SECTION in text.split("\n")
    assert heading not in text and not any(link in text for link in LINKS)


def test_headlines_cut_short_under_a_heading_go_and_a_paragraph_ending_so_stays():
    links = ["Menlu Jerman Kunjungi Kiev Pekan Depan untuk Membahas...", "Harga Gandum Dunia Kembali Naik Setelah…"]
    trailing = ("Warga yang ditemui di pengungsian hanya berkata bahwa mereka ingin pulang, tetapi rumah mereka"
                " sudah tidak ada lagi dan...")
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join(["Berita Terkait", *links, trailing]),
                           PROSE[1])).text
    assert not any(link in text for link in links)
    assert trailing in text.split("\n")


def test_a_short_subheading_under_related_links_stays_though_the_text_after_it_tells_other_words():
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join(["Baca juga:", *LINKS, "Latar Belakang"]),
                           PROSE[1])).text
    assert text.split("\n\n") == [HEADLINE, "Jakarta - " + PROSE[0], "Latar Belakang", PROSE[1]]


@pytest.mark.parametrize("links, after", [
    # the last link tells nothing of the paragraph after it
    ([*LINKS, "Warga Kherson Antre Air Bersih"], SECTION),
    # the only line under a heading is a link, whatever it shares with the paragraph
    ([SUBHEADING], SECTION),
    # a subheading is followed by the article's text, not by more furniture
    ([*LINKS, SUBHEADING], "Ikuti berita terkini di Google News Jembatan Darurat di Sungai Dnipro"),
])
def test_links_under_a_heading_still_go(links, after):
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join(["Baca Juga", *links]), after,
                           PROSE[1])).text
    assert not any(link in text.split("\n") for link in links)


@pytest.mark.parametrize("mark", ["1. ", "2) ", "- ", "• "])
def test_an_unmarked_line_under_a_numbered_or_bulleted_list_is_no_link(mark):
    subheading = "Pengungsi Menuju Perbatasan"  # nothing of it in the next paragraph
    links = [mark + link for link in LINKS]
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join(["BACA JUGA:", *links, subheading]),
                           PROSE[1])).text
    assert subheading in text.split("\n")
    assert not any(link in text for link in links)
    # a short last link of the list is one of its links all the same
    links = [*links, mark + "Kiev Gelap Gulita"]
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join(["BACA JUGA:", *links]), PROSE[1])).text
    assert not any(link in text for link in links)


def test_a_clock_time_after_related_links_opens_a_live_entry():
    stamp = "14.20 WIB"
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join(["Berita Terkait", *LINKS, stamp]),
                           PROSE[1], "13.05 WIB", PROSE[2])).text
    assert text.split("\n\n") == [HEADLINE, "Jakarta - " + PROSE[0], stamp, PROSE[1], "13.05 WIB", PROSE[2]]


def test_a_list_the_last_sentence_announces_stays_and_the_tags_after_it_go():
    announce = "Menurut relawan, yang paling dibutuhkan di pengungsian saat ini adalah:"
    items = ["selimut", "susu bayi", "obat-obatan", "Air Bersih dan Tenda"]
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join([announce, *items]), "perang",
                           "pengungsi", "Harga Gandum Dunia Kembali Naik")).text
    assert text.split("\n\n")[-1] == "\n".join([announce, *items])
    # without the colon the short lines after the last sentence are tags and headlines
    text = clean_page(page(HEADLINE, "Jakarta - " + PROSE[0], "\n".join([PROSE[1], *items]))).text
    assert text.split("\n")[-1] == PROSE[1]


def test_a_dash_later_in_the_text_is_no_dateline():
    lines = [HEADLINE, PROSE[0], "Rangkuman Situasi", PROSE[1], PROSE[2], "Korban Terus Bertambah",
             "Ahmad Yusuf - seorang warga Ganja - mengatakan rumahnya hancur dalam serangan semalam."]
    text = clean_page(page(*lines)).text
    assert text.split("\n\n") == lines


def test_the_headline_cut_short_for_a_share_button_goes():
    text = clean_page(page(HEADLINE, "Senin, 12 Oktober 2020 - 20:15 WIB", "Rudal Hantam Kota Ganja, Azerbaijan...",
                           "MOSKOW - " + PROSE[0])).text
    assert "Azerbaijan..." not in text


def test_duplicate_caption_is_kept_once_even_far_apart():
    caption = "Warga Armenia berkumpul di depan gedung pemerintah di Yerevan. (AFP/Karen Minasyan)"
    text = clean_page(page(HEADLINE, caption, "Jakarta, CNN Indonesia -- " + PROSE[0], PROSE[1], PROSE[2],
                           caption, "TOPIK TERKAIT", "Rusia")).text
    assert text.count(caption) == 1
    assert text.index(caption) < text.index(PROSE[0])


# -- outlets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lines, outlet", [
    (["GANJA, KOMPAS.com - " + PROSE[0]], "Kompas.com"),
    (["REPUBLIKA.CO.ID, BUCHA -- " + PROSE[0]], "Republika"),
    (["TRIBUNNEWS.COM, JAKARTA - " + PROSE[0]], "TRIBUNnews"),
    (["Liputan6.com, Jakarta- " + PROSE[0]], "Liputan6.com"),
    (["Jakarta (ANTARA) - " + PROSE[0]], "ANTARA"),
    (["Jakarta, CNN Indonesia -- " + PROSE[0]], "CNN Indonesia"),
    (["Jakarta, IDN Times - " + PROSE[0]], "IDN Times"),
    (["Sari Dewi - detikNews", "Yerevan - " + PROSE[0]], "detikcom"),
    (["Yerevan - " + PROSE[0], "© 2023 Tempo.co"], "Tempo.co"),
    (["Metrotvnews.com", "Internasional", "Baku: " + PROSE[0]], "Metro TV"),
    (["kumparanNEWS", PROSE[0]], "Kumparan"),
    (["kumparanNEWS", "Foto Budi © 2019 dipamerkan di Jakarta hingga Minggu, kata panitia."], "Kumparan"),
    # a photo credit from an agency above another outlet's dateline
    (["Warga di Ganja. (ANTARA FOTO/Galih Pradipta)", "GANJA, KOMPAS.com - " + PROSE[0]], "Kompas.com"),
    # sources the page quotes are not its outlet
    (["Sari Dewi - detikNews", "Seperti dilansir Kompas.com, " + PROSE[0]], "detikcom"),
    (["Moskow - Dikutip dari CNN Indonesia, " + PROSE[0]], None),
    (["Menurut Republika, " + PROSE[0]], None),
    (["Sumber: ANTARA", PROSE[0]], None),
    ([PROSE[0], "Partai Republikan menolak usulan itu."], None),  # a word containing an outlet's name
    # an outlet not in the list names itself by its address in the dateline: its brand, unless it
    # signs with the address in its own lines
    (["MATARAM, LOMBOKPOST.NET - " + PROSE[0], "Copyright © 2024 Lombokpost.net, Jawa Pos Group"], "Lombokpost.net"),
    (["PADANG, PADEKSPRES.CO.ID -- " + PROSE[0]], "Padekspres"),
    (["Kupang, victorynews.id - " + PROSE[0]], "Victorynews"),
    ([PROSE[0], "Baca selengkapnya di situs kemlu.go.id atau tribunnews.com."], "TRIBUNnews"),  # not a dateline
])
def test_outlet_from_the_page_itself(lines, outlet):
    assert find_outlet(page(HEADLINE, *lines, PROSE[1])) == outlet


# -- outlets the list does not hold -----------------------------------------------------------------


@pytest.mark.parametrize("lines, outlet", [
    # a plain name in a dateline, spelled as the page spells it elsewhere, else capitalised
    (["PADANG, HALUAN — " + PROSE[0], "Tentang Haluan"], "Haluan"),
    (["SLEMAN, RADAR KEDU – " + PROSE[0]], "Radar Kedu"),  # an unknown place in capitals, then the outlet
    (["SURABAYA, Harian Sinar Timur - " + PROSE[0]], "Harian Sinar Timur"),
    (["Warta Selatan, Makassar - " + PROSE[0]], "Warta Selatan"),  # the place second: the other part
    (["Jakarta (Suara Pembaruan) – " + PROSE[0]], "Suara Pembaruan"),
    (["BANDAR LAMPUNG (Lampost.co) -- " + PROSE[0]], "Lampost"),
    (["Kabarmedan.com, MEDAN — " + PROSE[0]], "Kabarmedan"),
    (["Surabaya, detikJatim - " + PROSE[0]], "detikJatim"),
    # a caption's "Ilustrasi - " is no dateline: the dateline under it names the outlet
    (["Ilustrasi - Warga mengungsi dari kota itu setelah serangan udara pada malam hari. (AFP)",
      "Jakarta (Suara Pembaruan) – " + PROSE[0]], "Suara Pembaruan"),
    # a dateline's parts that are no outlet
    (["JAKARTA, Senin - " + PROSE[0]], None),
    (["KIEV, Ukraina – " + PROSE[0]], None),
    (["Jakarta, 12/3 - " + PROSE[0]], None),
    (["Menurut Ahmad, Ketua RT – Kami tidak pernah mendengar ledakan sekeras itu, katanya."], None),
    ([PROSE[0], "Di Sleman, Warga Desa – Semua rumah di tepi sungai itu rusak berat akibat banjir."], None),
    ([PROSE[0], "SLEMAN, Sabtu – Warga kembali ke rumah mereka setelah banjir surut sepenuhnya."], None),
    # lines naming the page's own outlet
    (["MEDAN - " + PROSE[0], "Laporan Wartawan Kabarmedan.com, Sari Lubis"], "Kabarmedan.com"),
    (["MEDAN - " + PROSE[0], "Laporan wartawan Tribunnews.com, Sari Lubis"], "TRIBUNnews"),
    (["MEDAN - " + PROSE[0], "Baca berita Suara Kalbar lainnya di Google News"], "Suara Kalbar"),
    (["MEDAN - " + PROSE[0], "Ikuti berita terkini dari Tempo di Google News"], "Tempo.co"),
    (["MEDAN - " + PROSE[0], "© 2022 Warta Selatan. All rights reserved."], "Warta Selatan"),
    (["MEDAN - " + PROSE[0], "Copyright © 2024 Warta Selatan All Rights Reserved"], "Warta Selatan"),
    (["MEDAN - " + PROSE[0], "COPYRIGHT © ANTARA 2021"], "ANTARA"),
    (["Kabar", "Kabar Medan", "MEDAN - " + PROSE[0], "© 2022 PT Kabar Medan Media Nusantara"], "Kabar Medan"),
    (["HALUAN", "PADANG - " + PROSE[0], "Tentang Kami", "Tentang Haluan"], "Haluan"),  # a footer link
    (["KOMPAS.id", "MEDAN - " + PROSE[0], "Copyright 2008 - 2024 PT. Kompas Media Nusantara"], "Kompas.id"),
    (["MEDAN - " + PROSE[0], "Jawa Pos Group", "Copyright © 2024 Kabarmedan.com, Jawa Pos Group"], "Kabarmedan.com"),
    (["KOMPAS.id", "JAKARTA, KOMPAS — " + PROSE[0]], "Kompas.id"),  # the stem of two listed outlets
    # an agency's copy under its bracketed dateline, printed by the outlet its own lines name
    (["Jakarta (ANTARA) - " + PROSE[0], "© 2023 Radar Bogor"], "Radar Bogor"),
    (["WASHINGTON (AFP) - " + PROSE[0], "Baca berita Kabar Medan lainnya di Google News"], "Kabar Medan"),
    (["Jakarta (ANTARA) - " + PROSE[0], "Copyright © ANTARA 2023"], "ANTARA"),
    (["Jakarta (ANTARA) - " + PROSE[0], "www.kabarmedan.com"], "ANTARA"),  # an address is no name in words
    (["KABARMEDAN.COM - Berita Medan Terkini", "MEDAN - " + PROSE[0]], "Kabarmedan"),
    (["www.kabarmedan.com", "MEDAN - " + PROSE[0], "© 2022 Warta Medan"], "Warta Medan"),  # words first
    (["MEDAN - " + PROSE[0], "Kata Ani kepada ANTARA, pasar itu tutup.", "© 2022 Warta Selatan"], "Warta Selatan"),
    # lines that name no outlet of the page
    (["MEDAN - " + PROSE[0], "Ikuti berita dan artikel lainnya di Google News"], None),
    (["MEDAN - " + PROSE[0], "Ikuti Kami di Google News"], None),
    (["MEDAN - " + PROSE[0], "Baca Berita Terbaru di Google News"], None),
    (["MEDAN - " + PROSE[0], "Baca Kabar Terbaru di Google News"], None),
    (["MEDAN - " + PROSE[0], "Baca Kabar Menarik Lainnya di Google News"], None),
    (["MEDAN - " + PROSE[0], "Copyright © All Rights Reserved"], None),
    (["MEDAN - " + PROSE[0], "© 2024 Semua Hak Cipta Dilindungi"], None),
    (["MEDAN - " + PROSE[0], "Baca Berita Harian Sinar lainnya di Google News"], "Harian Sinar"),
    (["MEDAN - " + PROSE[0], "© 2022 PT Warta Selatan Media Nusantara"], None),  # a company
    (["Nasional", "MEDAN - " + PROSE[0], "© 2022 PT Warta Nasional Media"], None),  # no line begins it
    (["MEDAN - " + PROSE[0], "Tentang Gencatan Senjata", PROSE[2]], None),  # a subheading, no masthead
    (["MEDAN - " + PROSE[0], "Laporan wartawan di lapangan menyebutkan tiga rumah hancur."], None),
    # sources the page quotes: another outlet or an agency
    (["MEDAN - Pasar itu tutup sejak pagi, kata pedagang kepada ANTARA di Medan."], None),
    (["MEDAN - " + PROSE[0], 'Artikel ini telah tayang di Kompas.com dengan judul "Pasar Tutup"'], None),
    (["MEDAN - Pasar itu tutup sejak pagi, seperti dilansir AFP dan dikutip dari Reuters."], None),
])
def test_outlet_not_in_the_list(lines, outlet):
    assert find_outlet(page(HEADLINE, *lines, PROSE[1])) == outlet


# -- the outlet weighed from what the page's furniture says of itself --------------------------------


@pytest.mark.parametrize("lines, outlet", [
    # a web address is the outlet's brand: without its ending, in the case the page prints it in
    (["TRIBUN-SULBAR.COM, MAMUJU - " + PROSE[0]], "Tribun-Sulbar"),
    (["Maros, Wartamaros.com - " + PROSE[0]], "Wartamaros"),
    (["KBRN.ID", "Internasional", "JAKARTA - " + PROSE[0]], "KBRN"),  # an acronym stays in capitals
    (["WARTAMAROS.COM", "MAROS - " + PROSE[0], "Kirim berita ke redaksi Wartamaros.com"], "Wartamaros"),
    # an address the outlet signs with, in its mixed case, is the name it writes
    (["PADANG, PADEKSPRES.CO.ID -- " + PROSE[0], "Copyright © 2024 Padekspres.co.id"], "Padekspres.co.id"),
    (["PADANG - " + PROSE[0], "Ikuti Padekspres.co.id di Google News"], "Padekspres.co.id"),
    # an address it signs with in capitals, as the page prints it in mixed case elsewhere
    (["WM.id", "MAROS - " + PROSE[0], "Update berita dan artikel WM.ID menarik lainnya di Google News"], "WM.id"),
    (["WM.ID", "MAROS - " + PROSE[0], "Update berita dan artikel WM.ID menarik lainnya di Google News"], "WM"),
    (["PADANG, PADEKSPRES.CO.ID -- " + PROSE[0], "Padekspres.co.id © 2024. All rights reserved."], "Padekspres.co.id"),
    # a company's copyright line is no name before its sign ("Copyright")
    (["RIAU BARU", "PEKANBARU (RIAUBARU.CO) - " + PROSE[0], "Copyright © 2021 PT Riau Baru Intermedia"],
     "Riau Baru"),
    # a link in lower case is no spelling: the name in words another line gives
    (["radarkudus.id", "KUDUS, RADAR KUDUS – " + PROSE[0], "Copyright © 2022 radarkudus.id"], "Radar Kudus"),
    # a name in words the outlet signs with comes before its address
    (["WARTAMAROS.COM", "MAROS - " + PROSE[0], "Ikuti Wartamaros.com di Google News",
      "© 2022 PT Warta Maros Media", "Warta Maros"], "Warta Maros"),
    # a network's address names the outlet by its own part, never the network
    # (when another line backs it up; else the address is a section of the network's site)
    (["riaubaru.jawapos.com", "RIAU BARU", "PEKANBARU - " + PROSE[0], "Jawa Pos Group"], "Riau Baru"),
    (["kabarpantura.pikiran-rakyat.com", "Pikiran Rakyat Media Network", "KABAR PANTURA - " + PROSE[0],
      "© 2024 Pikiran Rakyat Media Network"], "Kabar Pantura"),
    (["internasional.kompas.com", "JAKARTA - " + PROSE[0]], "Kompas.com"),
    (["internasional.wartamaros.com", "MAROS - " + PROSE[0]], "Wartamaros"),
    # the text's opening in capitals without a dateline's dash
    (["WARTASULUT.ID—" + PROSE[0]], "Wartasulut"),
    (["WARTASULUT.ID " + PROSE[0]], "Wartasulut"),
    (["BATANG–SUARA PANTURA, " + PROSE[0]], "Suara Pantura"),
    # a name in brackets after the place, then a colon or a full stop
    (["MEDAN (Waspada Deli): " + PROSE[0]], "Waspada Deli"),
    (["Medan, (Warta Deli). " + PROSE[0]], "Warta Deli"),
    (["Jakarta (ANTARA): " + PROSE[0], "© 2022 Warta Deli"], "Warta Deli"),  # the agency's copy
    (["Presiden (Jokowi) mengatakan pasar itu tutup sejak pagi di Medan."], None),
    (["Ketua RT (55): Kami tidak pernah mendengar ledakan sekeras itu, katanya."], None),
    # a lone name opening the text counts when another line repeats it (a place in capitals reads the same)
    (["KABAR PANTURA", "KABAR PANTURA - " + PROSE[0]], "Kabar Pantura"),
    (["TEMBAGAPURA - " + PROSE[0]], None),
    (["PBB Desak Israel dan Hamas menghentikan pertempuran di Gaza sejak Senin pagi.", "Tag", "PBB", "Gaza"], None),
    (["RMOL.ID", "PBB - Sekretaris Jenderal mendesak kedua pihak berunding lagi pekan ini.", "Tag", "PBB"],
     "RMOL"),  # an address outweighs a lone name backed by a tag
    (["KABAR PANTURA - " + PROSE[0], "Tentang Kabar Pantura"], "Kabar Pantura"),
    (["Kabar Pantura", "KABAR PANTURA - " + PROSE[0], "Simak berita Kabar Pantura lainnya di Google News",
      "Pikiran Rakyat Media Network", "© 2024 Pikiran Rakyat Media Network"], "Kabar Pantura"),
    # lines the outlet signs: a prompt to read more of it, its app
    (["MEDAN - " + PROSE[0], "Baca berita Sumut Pos lainnya"], "Sumut Pos"),
    (["MEDAN - " + PROSE[0], "Download aplikasi Sumut Pos di Google Play"], "Sumut Pos"),
    (["MEDAN - " + PROSE[0], "Baca berita Gaza lainnya"], None),  # a topic, no outlet
    (["MEDAN - " + PROSE[0], "Baca berita menarik lainnya"], None),
    (["MEDAN - " + PROSE[0], "Download aplikasi kami di Google Play"], None),
    (["MEDAN - " + PROSE[0], "Unduh Aplikasi Terbaru di App Store"], None),
    # a social handle backs up a name another line gives, never names one alone
    (["SUMUTPOS.CO", "MEDAN - " + PROSE[0], "Instagram @sumutpos", "Twitter @sumutpos"], "Sumutpos"),
    (["SUMUT POS", "MEDAN - " + PROSE[0], "Tentang Sumut Pos", "Ikuti kami: @sumutpos"], "Sumut Pos"),
    (["MEDAN - " + PROSE[0], "— Nikol Pashinyan (@NikolPashinyan) 27 Oktober 2020",
      "— Nikol Pashinyan (@NikolPashinyan) 28 Oktober 2020"], None),
    # short lines alone never name it: a section label twice, a footer link alone
    (["Internasional", "MEDAN - " + PROSE[0], "Internasional"], None),
    (["MEDAN - " + PROSE[0], "Tentang Warta Maros"], None),
    # prose, quoted sources and agencies' photo credits are no evidence
    (["Warga mengungsi dari Gaza. (ANTARA FOTO/Budi Santoso)", "MEDAN - " + PROSE[0], "© 2022 Warta Selatan"],
     "Warta Selatan"),
    (["MEDAN - Pasar itu tutup sejak pagi, kata pedagang kepada Warta Maros, Senin.", "© 2022 Warta Selatan"],
     "Warta Selatan"),
    (["MEDAN - " + PROSE[0], "Seperti dilansir Wartamaros.com, pasar itu tutup sejak pagi."], None),
])
def test_outlet_weighed_from_the_furniture(lines, outlet):
    assert find_outlet(page(HEADLINE, *lines, PROSE[1])) == outlet


@pytest.mark.parametrize("masthead, footer, outlet", [
    ("Sumut Pos - Koran Terbesar di Sumatera Utara", "© 2020 Sumut Pos", "Sumut Pos"),
    ("Kabar Pantura | Berita Terkini Pantura Hari Ini", "Tentang Kabar Pantura", "Kabar Pantura"),
])
def test_a_masthead_in_words_with_its_tagline_backs_the_outlet_and_is_no_headline(masthead, footer, outlet):
    cleaned = clean_page(page(masthead, "Internasional", HEADLINE, "Kamis, 08 Okt 2020 21:47 WIB",
                              "MEDAN - " + PROSE[0], PROSE[1], footer))
    assert (cleaned.title, cleaned.source) == (HEADLINE, outlet)
    assert cleaned.text.split("\n\n") == [HEADLINE, "MEDAN - " + PROSE[0], PROSE[1]]


@pytest.mark.parametrize("headline", [
    "Jokowi - Berita Hoaks Soal Gaza Harus Dilawan",  # a name, a dash, a tagline's word: a headline on top
    "Gaza - Media Internasional Dilarang Masuk ke Rafah",  # a place is no outlet
])
def test_a_headline_shaped_like_a_masthead_stays_the_headline(headline):
    for top in ([], ["Internasional"]):
        cleaned = clean_page(page(*top, headline, "Kamis, 08 Okt 2020 21:47 WIB", "JAKARTA - " + PROSE[0], PROSE[1]))
        assert (cleaned.title, cleaned.source) == (headline, None)
        assert cleaned.text.split("\n\n")[0] == headline


@pytest.mark.parametrize("title", [HEADLINE + " - Sumut Pos", HEADLINE + " | Berita Terkini Sumut Pos"])
def test_the_pages_title_above_the_headline_is_no_headline(title):
    cleaned = clean_page(page(title, "Internasional", HEADLINE, "Kamis, 08 Okt 2020 21:47 WIB",
                              "MEDAN - " + PROSE[0], PROSE[1]))
    assert cleaned.title == HEADLINE
    assert cleaned.text.split("\n\n") == [HEADLINE, "MEDAN - " + PROSE[0], PROSE[1]]


def test_a_headline_with_a_dash_is_kept_whole_when_no_shorter_line_repeats_it():
    headline = HEADLINE + " - Laporan Khusus"
    cleaned = clean_page(page(headline, "Kamis, 08 Okt 2020 21:47 WIB", "MEDAN - " + PROSE[0], PROSE[1]))
    assert cleaned.title == headline


@pytest.mark.parametrize("byline, footer, dropped", [
    ("News - Rindi Salsabila, CNBC Indonesia", "© 2023 CNBC Indonesia", True),
    ("Sari Dewi Lestari, Sumut Pos", "© 2020 Sumut Pos", True),
    ("Sari Dewi Lestari | Kontributor Sumut Pos", "© 2020 Sumut Pos", False),  # ends with no outlet alone
    ("News - Rindi Salsabila, CNBC Indonesia", "© 2020 Sumut Pos", False),  # another outlet's byline
])
def test_a_byline_ending_with_the_outlet_goes(byline, footer, dropped):
    cleaned = clean_page(page(HEADLINE, byline, "Kamis, 08 Okt 2020 21:47 WIB", "MEDAN - " + PROSE[0], PROSE[1],
                              footer))
    assert (byline not in cleaned.text) == dropped


def test_a_deck_below_the_headline_naming_another_outlet_stays():
    deck = "Konvoi bantuan tertahan di perbatasan, Sumut Pos"  # short as a byline, but not the page's outlet
    cleaned = clean_page(page(HEADLINE, deck, "Kamis, 08 Okt 2020 21:47 WIB", "MEDAN - " + PROSE[0], PROSE[1],
                              "© 2020 Harian Analisa"))
    assert cleaned.source == "Harian Analisa"
    assert deck in cleaned.text


def test_an_outlet_named_on_every_line_is_looked_up_once_per_page(monkeypatch):
    """A page repeating a footer thousands of times is weighed in one pass, not one pass per line."""
    from annotations import cleaning

    calls = {"mention": 0, "company": 0}
    mention, company = cleaning._strongest_mention, cleaning._company_outlet

    def counted(name, real):
        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(cleaning, "_strongest_mention", counted("mention", mention))
    monkeypatch.setattr(cleaning, "_company_outlet", counted("company", company))
    footer = ["kompas.id", "© 2024 KOMPAS", "© 2024 PT Bali Post Media"] * 500
    cleaned = clean_page(page(HEADLINE, "JAKARTA, KOMPAS.com - " + PROSE[0], PROSE[1], *footer))
    assert cleaned.source == "Kompas.com"
    assert calls["company"] == 1 and calls["mention"] < 20


def test_a_masthead_with_an_address_is_no_headline():
    cleaned = clean_page(page("KABARMEDAN.COM - Berita Medan Terkini", HEADLINE, "MEDAN - " + PROSE[0],
                              "(kabarmedan.com - Politik)", "Artikel yang diterbitkan oleh Sari Lubis"))
    assert cleaned.title == HEADLINE
    assert cleaned.text.split("\n\n") == [HEADLINE, "MEDAN - " + PROSE[0]]
    assert cleaned.source == "Kabarmedan"


def test_a_broad_list_of_outlets():
    data = tomllib.loads(resources.files("annotations.data").joinpath("cleaning.toml").read_text("utf-8"))
    assert len(data["outlets"]) >= 30
    for name in ("Kompas.com", "detikcom", "ANTARA", "CNN Indonesia", "BBC News Indonesia", "VOA Indonesia"):
        assert name in data["outlets"]


@pytest.mark.parametrize("raw, outlet", [
    ("isi " * 300 + "Copyright TRIBUNnews", "TRIBUNnews"),  # named only past the first kilobyte
    ("a" * 1018 + " kompas.com okezone " + "b" * 100, "Kompas.com"),
    ("a" * 990 + " okezone kompas.com " + "b" * 100, "Okezone"),
    ("Liputan6.com " + "a" * 2000 + " SINDOnews", "Liputan6.com"),
    ("tanpa nama media", None),
])
def test_among_equal_mentions_the_earliest_wins(raw, outlet):
    assert find_outlet(raw) == outlet


def test_outlet_position_survives_letters_that_lower_to_two():
    # "İ".lower() is two characters: positions in the lowered page must still match the page's
    assert find_outlet("İlham İlham İlham kompas.com lalu Liputan6.com") == "Kompas.com"


def test_clean_keeps_the_section_labels_in_meta():
    assert clean(page("Internasional", "Eropa", HEADLINE, "Jakarta - " + PROSE[0])).meta["section"] == \
        "Internasional > Eropa"


def test_a_label_above_the_headline_repeated_as_a_subheading_stays_below():
    label = "Perang Saudara di Sudan"
    text = clean_page(page(label, HEADLINE, "Jakarta - " + PROSE[0], label, PROSE[1])).text
    assert text.split("\n\n") == [HEADLINE, "Jakarta - " + PROSE[0], label, PROSE[1]]
