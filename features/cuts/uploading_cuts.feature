@allure.label.epic:Cuts @mux
Feature: Uploading a cut to Mux
  A producer uploads a cut from the browser straight to Mux, the video service the studio uses.
  The portal checks what is being uploaded, asks Mux for an upload address for that one file, and
  records the cut as uploading. A refused upload leaves nothing behind, in the portal or at Mux.
  Where the video comes from and how it is played is only ever what Mux says: nobody tells the
  portal a playback id or where a file lies.

  Background:
    Given Brightside Agency has the project "Harbour campaign"

  Rule: An accepted upload is a Mux direct upload for this cut, and the cut waits for it as uploading

    @allure.severity:critical
    Scenario: Theo uploads "Harbour Lights" v4
      Given Theo is signed in
      When Theo uploads "Harbour Lights" v4
      Then Theo is given Mux's upload address for the file
      And the cut "Harbour Lights" is uploading
      And Mux was asked, with the studio's access token, for an upload for this cut only, played only through signed addresses

    Scenario Outline: A file of <size> is <outcome>
      Given Theo is signed in
      When Theo uploads "Harbour Lights" v4, a file of <size>
      Then the upload is <outcome>

      Examples:
        | size              | outcome                                     |
        | 50 GiB            | accepted                                    |
        | 50 GiB and 1 byte | refused, saying files may be at most 50 GiB |

    @negative
    Scenario Outline: A <type> file is refused, and nothing is created anywhere
      Given Theo is signed in
      When Theo uploads "Harbour Lights" v4 as a <type> file
      Then the upload is refused, naming the content type
      And no cut is created and Mux is not asked for anything

      Examples:
        | type            |
        | application/pdf |
        | image/png       |
        | text/html       |

    @negative
    Scenario: An upload with its title, file name and content type left blank names all three at once
      Given Theo is signed in
      When Theo uploads a cut with its title, file name and content type left blank
      Then the upload is refused, naming the title, the file name and the content type at once
      And no cut is created and Mux is not asked for anything

  Rule: When Mux cannot take the upload, no cut is left behind

    @negative
    Scenario Outline: Mux <trouble>: Theo is told to try again later, and no cut is left behind
      Given Theo is signed in
      And Mux <trouble>
      When Theo uploads "Harbour Lights" v4
      Then Theo is told the video service is not answering
      And the project has no cut

      Examples:
        | trouble                         |
        | cannot be reached               |
        | answers 500 Internal Error      |
        | answers 503 Service Unavailable |

    @negative @local
    Scenario: Mux refuses the upload: no cut, and the error is logged without the access token
      Given Theo is signed in
      And Mux answers 401 Unauthorized
      When Theo uploads "Harbour Lights" v4
      Then Theo is told the video service refused the upload
      And the project has no cut
      And the portal's log names Mux's refusal but not the access token's secret

  Rule: Only Mux says what a cut plays: nobody supplies a playback id or a storage key

    @negative @security
    Scenario Outline: Theo cannot supply the cut's <field>
      Given Theo is signed in
      When Theo uploads "Harbour Lights" v4 with the <field> "a1B2c3D4e5F6"
      Then the upload is refused, naming the <field>
      And no cut is created and Mux is not asked for anything

      Examples:
        | field       |
        | playback_id |
        | storage_key |
        | status      |

  Rule: The organisation's admins and producers and the studio admins upload; to anyone else the project does not exist

    Scenario Outline: <person> uploads a cut to Brightside's project
      Given <person> is signed in
      When <person> uploads "Harbour Lights" v4
      Then the upload is accepted

      Examples:
        | person |
        | Theo   |
        | Bea    |
        | Ada    |

    @negative @security
    Scenario Outline: <person> cannot upload to Brightside's project, which to them does not exist
      Given <person> is signed in
      When <person> uploads "Harbour Lights" v4
      Then the portal answers <person> as if the project did not exist
      And no cut is created and Mux is not asked for anything

      Examples:
        | person  |
        | Mallory |
        | Lena    |
        | Gina    |
